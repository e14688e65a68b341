/* test-certification-page.c — the certification page in each state
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-certification-page.h"
#include "crm-store-private.h"
#include "crm-test-util.h"
#include "crm-ui-test-util.h"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
} Fixture;

static void
set_state (CrmStore   *store,
           const char *status,
           const char *reason)
{
  g_autoptr (CrmCertification) cert = crm_certification_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE certification SET status = '%s',"
                                          " reject_reason = '%s'", status, reason);

  g_free (cert->company_name);
  cert->company_name = g_strdup ("小禾科技");
  g_free (cert->uscc);
  cert->uscc = g_strdup ("913301087458306077");
  crm_store_save_certification (store, cert, &error);
  g_assert_no_error (error);
  /* the verdict, as the sync client will write it */
  g_assert_cmpint (sqlite3_exec (_crm_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}

static void
open_page (Fixture *f)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  f->page = g_object_new (CRM_TYPE_CERTIFICATION_PAGE, NULL);
  crm_certification_page_set_store (CRM_CERTIFICATION_PAGE (f->page), f->ts->store);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
  crm_ui_iterate ();
}

static void
close_page (Fixture *f)
{
  gtk_window_destroy (f->window);
  crm_ui_iterate ();
  crm_test_store_free (f->ts);
}

static gboolean
enabled (Fixture    *f,
         const char *action)
{
  /* an action that is disabled does nothing when activated */
  return gtk_widget_is_sensitive (crm_ui_find (f->page, action));
}

static void
test_page_empty_then_typed (void)
{
  Fixture f = { crm_test_store_new (), };
  GtkWidget *message;

  open_page (&f);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry"))));
  g_assert_false (enabled (&f, "submit_button"));

  /* a wrong character is an error; a failed check only a warning */
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "9111000060003734IL");
  message = crm_ui_find (f.page, "uscc_message");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "91350100M0001TGQXM");
  g_assert_true (gtk_widget_has_css_class (message, "warning"));
  gtk_editable_set_text (GTK_EDITABLE (crm_ui_find (f.page, "uscc_entry")), "91110000600037341L");
  g_assert_false (gtk_widget_get_visible (message));
  close_page (&f);
}

static void
test_page_certified_is_locked (void)
{
  Fixture f = { crm_test_store_new (), };

  set_state (f.ts->store, "certified", "");
  open_page (&f);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (crm_ui_find (f.page, "status_label"))), ==,
                   "Certified");
  for (const char *const *id = (const char *const[]) { "company_entry", "uscc_entry",
                                                        "legal_entry", "address_entry", NULL };
       *id; id++)
    g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (crm_ui_find (f.page, *id))));
  g_assert_false (enabled (&f, "choose_button"));
  g_assert_false (enabled (&f, "save_button"));
  g_assert_false (enabled (&f, "submit_button"));
  close_page (&f);
}

static void
test_page_rejected_shows_reason (void)
{
  Fixture f = { crm_test_store_new (), };
  const char *detail;

  set_state (f.ts->store, "rejected", "营业执照模糊");
  open_page (&f);
  detail = gtk_label_get_text (GTK_LABEL (crm_ui_find (f.page, "status_detail")));
  g_assert_nonnull (strstr (detail, "营业执照模糊"));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (crm_ui_find (f.page, "legal_entry"))));
  g_assert_true (enabled (&f, "choose_button"));
  close_page (&f);
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/certification-page/empty-then-typed", test_page_empty_then_typed);
  g_test_add_func ("/certification-page/certified-is-locked", test_page_certified_is_locked);
  g_test_add_func ("/certification-page/rejected-shows-reason", test_page_rejected_shows_reason);
  return g_test_run ();
}
