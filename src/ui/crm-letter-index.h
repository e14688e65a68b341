/* crm-letter-index.h — the A–Z index beside the contact list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRM_TYPE_LETTER_INDEX (crm_letter_index_get_type ())

G_DECLARE_FINAL_TYPE (CrmLetterIndex, crm_letter_index, CRM, LETTER_INDEX, GtkWidget)

GtkWidget *crm_letter_index_new          (void);
gboolean   crm_letter_index_focus_letter (CrmLetterIndex *self,
                                          char            letter);

G_END_DECLS
