/* crm-io.c — libcrm-io's error domain
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcrm-io sits between the store and the UI (HACKING.md): the readers and
 * writers of the files people bring in and take out, used alike by the app's
 * dialogs and by xiaohe-crm-cli. Each reader refuses invalid input with a
 * CrmIoError whose message is translated and says what to do.
 */
#include "config.h"

#include "crm-io.h"

G_DEFINE_QUARK (crm-io-error-quark, crm_io_error)
