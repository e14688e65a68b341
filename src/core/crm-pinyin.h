/* crm-pinyin.h — pinyin of Chinese text, and the list order of names
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest syllable crm_pinyin_syllable() gives, in bytes ("zhuang"). */
#define CRM_PINYIN_MAX_SYLLABLE 7

const char *crm_pinyin_syllable       (gunichar    c);
const char *crm_pinyin_surname        (const char *name,
                                       gsize      *n_bytes);
char       *crm_pinyin_transliterate  (const char *text);
char       *crm_pinyin_initials       (const char *text);
char       *crm_pinyin_sort_key       (const char *name);
char        crm_pinyin_key_letter     (const char *sort_key);

G_END_DECLS
