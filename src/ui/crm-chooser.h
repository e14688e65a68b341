/* crm-chooser.h — where the app's file choosers open
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void crm_chooser_open_in_documents (GtkFileChooser *chooser);

G_END_DECLS
