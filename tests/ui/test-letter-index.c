/* test-letter-index.c — the A–Z index beside the contact list, by real keys and clicks
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contacts page in a window of the test session's X server; xdotool
 * types Ctrl+J and a letter, and clicks a letter of the index, as a person
 * would. Each jump must select the first contact of that letter.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-contacts-page.h"
#include "crm-letter-index.h"
#include "crm-test-ui.h"
#include "crm-test-util.h"

#define TITLE "crm-test-letter-index"

typedef struct
{
  CrmTestStore *ts;
  GtkWindow    *window;
  GtkWidget    *page;
  char         *wid;    /* the X window, for xdotool */
} Fixture;

#define xdotool crm_ui_xdotool

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char *names[] = {
    "安娜", "白雪", "陈静", "David", "李娜", "王芳", "张伟", "赵敏", "123",
  };
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  f->ts = crm_test_store_new ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (batch, crm_test_contact (names[i], "", ""));
  /* two hundred under K (客户 ke hu): the later letters are off screen */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户%03u", i);
      g_ptr_array_add (batch, crm_test_contact (name, "", ""));
    }
  crm_store_insert_contacts (f->ts->store, batch, &error);
  g_assert_no_error (error);

  f->window = crm_ui_contacts_window (f->ts->store, TITLE, &f->page, &f->wid);
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

typedef struct
{
  Fixture    *f;
  const char *name;
} Selected;

/* whether the contact named @data->name is the one selected */
static gboolean
is_selected (gpointer data)
{
  Selected *s = data;
  GtkListView *list = GTK_LIST_VIEW (crm_ui_get (s->f->page, "list_view"));
  GtkSelectionModel *model = gtk_list_view_get_model (list);
  CrmContact *contact = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));

  return contact != NULL && g_strcmp0 (crm_contact_get_name (contact), s->name) == 0;
}

static void
wait_selected (Fixture    *f,
               const char *name)
{
  Selected s = { f, name };

  crm_test_wait_until (is_selected, &s, 10);
}

/* the button of @letter in the index */
static GtkWidget *
letter_button (Fixture *f,
               char     letter)
{
  GtkWidget *index = crm_ui_get (f->page, "letter_index");
  GtkWidget *box = crm_ui_get (index, "box");
  char text[2] = { letter, '\0' };

  for (GtkWidget *b = gtk_widget_get_first_child (box); b; b = gtk_widget_get_next_sibling (b))
    if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (b)), text) == 0)
      return b;
  g_assert_not_reached ();
}

static gboolean
has_focus (gpointer widget)
{
  return gtk_widget_has_focus (widget);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  /* Ctrl+J: the focus to the index (on A, nothing being selected); then
   * each letter typed jumps */
  xdotool ("key", "--delay", "60", "ctrl+j", NULL);
  crm_test_wait_until (has_focus, letter_button (f, 'A'), 10);

  xdotool ("key", "--delay", "60", "w", NULL);
  wait_selected (f, "王芳");
  g_assert_true (gtk_widget_has_focus (letter_button (f, 'W')));
  xdotool ("key", "--delay", "60", "c", NULL);
  wait_selected (f, "陈静");
  /* none under E..J: the first under K */
  xdotool ("key", "--delay", "60", "e", NULL);
  wait_selected (f, "客户000");
  xdotool ("key", "--delay", "60", "Z", NULL);
  wait_selected (f, "张伟");
  xdotool ("key", "--delay", "60", "numbersign", NULL);
  wait_selected (f, "123");
}

static void
test_clicks (Fixture       *f,
             gconstpointer  data)
{
  static const struct { char letter; const char *first; } clicks[] = {
    { 'Z', "张伟" }, { 'D', "David" }, { 'L', "李娜" }, { 'A', "安娜" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (clicks); i++)
    {
      GtkWidget *button = letter_button (f, clicks[i].letter);
      graphene_point_t centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (button) / 2.0,
                                                     gtk_widget_get_height (button) / 2.0);
      graphene_point_t in_window;
      double sx, sy;
      g_autofree char *x = NULL;
      g_autofree char *y = NULL;

      g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (f->window), &centre,
                                               &in_window));
      gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
      x = g_strdup_printf ("%d", (int)(in_window.x + sx));
      y = g_strdup_printf ("%d", (int)(in_window.y + sy));
      xdotool ("mousemove", "--window", f->wid, x, y, "click", "1", NULL);
      wait_selected (f, clicks[i].first);
    }
}

/* every letter is a button a screen reader names */
static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  const char *letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ#";

  for (const char *l = letters; *l; l++)
    {
      GtkWidget *button = letter_button (f, *l);
      g_autofree char *name = g_strdup_printf ("Jump to %c", *l);

      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, name);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/letter-index/keys", Fixture, NULL, fixture_setup, test_keys, fixture_teardown);
  g_test_add ("/letter-index/clicks", Fixture, NULL, fixture_setup, test_clicks,
              fixture_teardown);
  g_test_add ("/letter-index/names", Fixture, NULL, fixture_setup, test_names,
              fixture_teardown);
  return g_test_run ();
}
