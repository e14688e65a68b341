/* test-tag-completion.c — the tags field completes existing tags, by real keys
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contacts page in a window of the test session's X server, a new
 * contact open; xdotool presses Alt+G (the Tags field's mnemonic) and types
 * into it as a person would: "重" lists the tags that start with it, the
 * most used first; Down and Enter take one, with the separator; a tag
 * already in the field is not offered again; Escape closes the list and
 * leaves the editor open; Down and Tab take a Latin tag with ", ".
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-contacts-page.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

#define TITLE "crm-test-tag-completion"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
  GtkWidget    *tags;   /* the Tags field */
  char         *wid;    /* the X window, for xdotool */
} Fixture;

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* runs the main loop until @done (@data), at most @seconds; whether it came */
static gboolean
wait_at_most (CrmTestCondition done,
              gpointer         data,
              guint            seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (50, tick, NULL);
  gboolean came;

  while (!(came = done (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return came;
}

static gboolean
wait_for (CrmTestCondition done,
          gpointer         data)
{
  return wait_at_most (done, data, 10);
}

static void
add_tagged (Fixture    *f,
            const char *name,
            const char *tags)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) contact = crm_test_contact (name, "", "");

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_TAGS, tags);
  crm_store_save_contact (f->ts->store, contact, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = crm_test_store_new ();
  add_tagged (f, "张伟", "重点客户，VIP");
  add_tagged (f, "王芳", "重点客户、重要");
  add_tagged (f, "李娜", "重复购买");
  add_tagged (f, "刘洋", "北京");

  f->window = crm_ui_contacts_window (f->ts->store, TITLE, &f->page, &f->wid);

  g_assert_true (gtk_widget_activate_action (f->page, "contacts.new", NULL));
  crm_ui_iterate ();
  f->tags = crm_ui_get (f->page, "tags_input");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  crm_ui_iterate ();
  crm_test_store_free (f->ts);
  g_free (f->wid);
}

/* the list of existing tags: the popover under the Tags field */
static GtkWidget *
tag_list (Fixture *f)
{
  for (GtkWidget *c = gtk_widget_get_first_child (f->tags); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER (c))
      return c;
  g_assert_not_reached ();
}

static gboolean
list_shown (gpointer f)
{
  return gtk_widget_get_mapped (tag_list (f));
}

static gboolean
list_hidden (gpointer f)
{
  return !gtk_widget_get_visible (tag_list (f));
}

static gboolean tags_focused (gpointer f);

static GtkListBox *
list_box (Fixture *f)
{
  return GTK_LIST_BOX (gtk_popover_get_child (GTK_POPOVER (tag_list (f))));
}

/* the tags listed, joined by "|", the highlighted one in brackets */
static char *
listed (Fixture *f)
{
  GtkListBox *box = list_box (f);
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (box);
  GString *out = g_string_new ("");

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (box)); row;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      const char *text = gtk_label_get_text (GTK_LABEL (label));

      if (out->len > 0)
        g_string_append_c (out, '|');
      if (row == GTK_WIDGET (selected))
        g_string_append_printf (out, "[%s]", text);
      else
        g_string_append (out, text);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  Fixture    *f;
  const char *expected;
} Expect;

static gboolean
listed_is (gpointer data)
{
  Expect *e = data;
  g_autofree char *got = listed (e->f);

  return list_shown (e->f) && strcmp (got, e->expected) == 0;
}

static void
wait_listed (Fixture    *f,
             const char *expected)
{
  Expect e = { f, expected };
  g_autofree char *got = NULL;

  wait_for (listed_is, &e);
  got = listed (f);
  g_assert_cmpstr (got, ==, expected);
  g_assert_true (list_shown (f));
}

static gboolean
text_is (gpointer data)
{
  Expect *e = data;

  return strcmp (gtk_editable_get_text (GTK_EDITABLE (e->f->tags)), e->expected) == 0;
}

static void
wait_text (Fixture    *f,
           const char *expected)
{
  Expect e = { f, expected };

  wait_for (text_is, &e);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->tags)), ==, expected);
}

static gboolean
tags_focused (gpointer f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (((Fixture *)f)->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, ((Fixture *)f)->tags);
}

static void
key (const char *name)
{
  crm_ui_xdotool ("key", "--delay", "60", name, NULL);
}

/* Types @text a character at a time, each read back from the field before
 * the next: xdotool maps a Chinese character to a spare keycode only for
 * its key press, and one read after the unmapping arrives as nothing now
 * and then (tests/e2e/crmtest.py type_text). A character that did not
 * arrive is typed again; one that arrived twice fails the test. */
static void
type (Fixture    *f,
      const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      g_autofree char *c = g_strndup (p, g_utf8_next_char (p) - p);
      g_autofree char *expected = g_strconcat (gtk_editable_get_text (GTK_EDITABLE (f->tags)), c,
                                               NULL);
      Expect e = { f, expected };
      guint tries = 0;

      crm_ui_xdotool ("type", "--delay", "60", c, NULL);
      while (!wait_at_most (text_is, &e, 2) && ++tries < 3)
        {
          g_test_message ("%s did not arrive (try %u): typed again", c, tries);
          crm_ui_xdotool ("type", "--delay", "60", c, NULL);
        }
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->tags)), ==, expected);
    }
}

/* "重": the tags that start with it, the most used first, none highlighted;
 * Down highlights the first, Enter takes it with a Chinese comma */
static void
test_complete (Fixture       *f,
               gconstpointer  data)
{
  key ("alt+g");
  g_assert_true (wait_for (tags_focused, f));
  type (f, "重");
  wait_listed (f, "重点客户|重复购买|重要");
  g_assert_true (tags_focused (f));
  key ("Down");
  wait_listed (f, "[重点客户]|重复购买|重要");
  key ("Down");
  wait_listed (f, "重点客户|[重复购买]|重要");
  key ("Up");
  wait_listed (f, "[重点客户]|重复购买|重要");
  key ("Return");
  wait_text (f, "重点客户，");
  g_assert_true (wait_for (list_hidden, f));
  g_assert_true (tags_focused (f));

  /* the next tag: 重点客户 is in the field already */
  type (f, "重");
  wait_listed (f, "重复购买|重要");
  key ("Down");
  key ("Down");
  wait_listed (f, "重复购买|[重要]");
  key ("Return");
  wait_text (f, "重点客户，重要，");
  /* typing goes on in the field */
  type (f, "新");
  wait_text (f, "重点客户，重要，新");
}

/* Escape closes the list, not the editor: what was typed stays */
static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  key ("alt+g");
  g_assert_true (wait_for (tags_focused, f));
  type (f, "重");
  wait_listed (f, "重点客户|重复购买|重要");
  key ("Escape");
  g_assert_true (wait_for (list_hidden, f));
  crm_ui_iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (crm_ui_get (f->page,
                                                                            "editor_stack"))),
                   ==, "editor");
  g_assert_null (crm_ui_find_message_dialog ());
  g_assert_true (tags_focused (f));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->tags)), ==, "重");
  /* typed on, the list comes back */
  type (f, "点");
  wait_listed (f, "重点客户");
}

/* Latin tags by their first letter, whatever the case; Down and Tab take
 * one, after the ", " a Latin list uses */
static void
test_tab (Fixture       *f,
          gconstpointer  data)
{
  key ("alt+g");
  g_assert_true (wait_for (tags_focused, f));
  type (f, "Beijing, v");
  wait_listed (f, "VIP");
  key ("Down");
  key ("Tab");
  wait_text (f, "Beijing, VIP, ");
  g_assert_true (wait_for (list_hidden, f));
  g_assert_true (tags_focused (f));
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/tag-completion/complete", test_complete);
  ADD ("/tag-completion/escape", test_escape);
  ADD ("/tag-completion/tab", test_tab);
#undef ADD
  return g_test_run ();
}
