/* test-help-overlay.c — the shortcuts window: its groups in the order of the
 * views, each complete against README.md's key tables, none a lonely entry
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "crm-test-ui.h"

#define HELP_OVERLAY "/co/xiaohe/Crm/gtk/help-overlay.ui"

/* every problem said, not only the last one */
#define report_failure(...) \
  G_STMT_START { g_test_message (__VA_ARGS__); g_test_fail_printf (__VA_ARGS__); } G_STMT_END

/* one accelerator, as gtk_accelerator_parse() reads it */
typedef struct
{
  guint           keyval;
  GdkModifierType mods;
} Accel;

typedef struct
{
  char   *title;
  GArray *accels;  /* Accel, every shortcut's of the group */
  guint   n_shortcuts;
  guint   height;   /* in lines, as the section lays groups out */
} Group;

static void
group_free (gpointer data)
{
  Group *group = data;

  g_free (group->title);
  g_array_unref (group->accels);
  g_free (group);
}

static Accel
parse_accel (const char *text)
{
  Accel accel = { 0, 0 };

  gtk_accelerator_parse (text, &accel.keyval, &accel.mods);
  accel.keyval = gdk_keyval_to_lower (accel.keyval);
  return accel;
}

static gboolean
accels_contain (GArray      *accels,
                const Accel *wanted)
{
  for (guint i = 0; i < accels->len; i++)
    {
      const Accel *accel = &g_array_index (accels, Accel, i);
      if (accel->keyval == wanted->keyval && accel->mods == wanted->mods)
        return TRUE;
    }
  return FALSE;
}

/* the groups under @widget, depth first (the order they are shown in) */
static void
collect_groups (GtkWidget *widget,
                GPtrArray *groups)
{
  if (GTK_IS_SHORTCUTS_GROUP (widget))
    {
      Group *group = g_new0 (Group, 1);

      g_object_get (widget, "title", &group->title, "height", &group->height, NULL);
      group->accels = g_array_new (FALSE, FALSE, sizeof (Accel));
      g_ptr_array_add (groups, group);
    }
  else if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      Group *group;
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      g_auto (GStrv) keys = NULL;

      /* every shortcut of a section is in a group */
      g_assert_nonnull (gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_GROUP));
      g_assert_cmpuint (groups->len, >, 0);
      group = g_ptr_array_index (groups, groups->len - 1);
      group->n_shortcuts++;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      if (title == NULL || *title == '\0')
        report_failure ("a shortcut of the group “%s” has no title", group->title);
      /* shown whether the window belongs to the application or not */
      if (accelerator == NULL || *accelerator == '\0')
        report_failure ("“%s” has no accelerator", title);

      keys = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          Accel accel;

          if (*keys[i] == '\0' || g_str_equal (keys[i], "..."))
            continue;
          accel = parse_accel (keys[i]);
          if (accel.keyval == 0)
            report_failure ("“%s”: “%s” is no accelerator", title, keys[i]);
          g_array_append_val (group->accels, accel);
        }
      return;
    }
  else if (GTK_IS_STACK (widget))
    {
      /* the section's pages, in the order its switcher numbers them (a
       * stack's widget children need not be in that order) */
      g_autoptr (GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (widget));

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr (GObject) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
          collect_groups (gtk_stack_page_get_child (GTK_STACK_PAGE (page)), groups);
        }
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_groups (child, groups);
}

static GtkWidget *
find_section (GtkWidget *widget)
{
  if (GTK_IS_SHORTCUTS_SECTION (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *section = find_section (child);
      if (section != NULL)
        return section;
    }
  return NULL;
}

/* “Ctrl+Shift+W”, “Enter”, “arrows”… as accelerators; "Alt+underlined
 * letter" stands for no single key and gives none */
static void
readme_keys_to_accels (const char *key,
                       GArray     *accels)
{
  g_autoptr (GString) accelerator = g_string_new (NULL);
  g_auto (GStrv) parts = NULL;
  guint n_parts;
  const char *name;
  Accel accel;

  if (strstr (key, "underlined letter") != NULL)
    return;
  if (g_str_equal (key, "arrows"))
    {
      readme_keys_to_accels ("Up", accels);
      readme_keys_to_accels ("Down", accels);
      readme_keys_to_accels ("Left", accels);
      readme_keys_to_accels ("Right", accels);
      return;
    }

  parts = g_strsplit (key, "+", -1);
  n_parts = g_strv_length (parts);
  g_assert_cmpuint (n_parts, >, 0);
  for (guint i = 0; i + 1 < n_parts; i++)
    {
      if (g_str_equal (parts[i], "Ctrl"))
        g_string_append (accelerator, "<ctrl>");
      else if (g_str_equal (parts[i], "Shift"))
        g_string_append (accelerator, "<shift>");
      else if (g_str_equal (parts[i], "Alt"))
        g_string_append (accelerator, "<alt>");
      else
        g_error ("README.md: unknown modifier “%s” in “%s”", parts[i], key);
    }
  name = parts[n_parts - 1];
  if (g_str_equal (name, "Enter"))
    name = "Return";
  else if (g_str_equal (name, "?"))
    name = "question";
  g_string_append (accelerator, name);

  accel = parse_accel (accelerator->str);
  if (accel.keyval == 0)
    g_error ("README.md: “%s” read as “%s”, no accelerator", key, accelerator->str);
  g_array_append_val (accels, accel);
}

/* every key of README.md's `| keys |` tables, those under the heading
 * “## Deals” in @deal_accels, the others in @other_accels */
static void
read_readme_keys (GArray *deal_accels,
                  GArray *other_accels)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean in_table = FALSE;
  gboolean in_deals = FALSE;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_auto (GStrv) cells = NULL;
      g_auto (GStrv) keys = NULL;

      if (g_str_has_prefix (line, "## "))
        in_deals = g_str_equal (line, "## Deals");
      if (g_str_has_prefix (line, "| keys |"))
        {
          in_table = TRUE;
          continue;
        }
      if (!in_table)
        continue;
      if (!g_str_has_prefix (line, "|"))
        {
          in_table = FALSE;
          continue;
        }
      if (g_str_has_prefix (line, "| ---"))
        continue;

      cells = g_strsplit (line + 1, "|", 2);
      keys = g_strsplit (cells[0], ",", -1);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_strstrip (keys[k]);
          if (*keys[k] != '\0')
            readme_keys_to_accels (keys[k], in_deals ? deal_accels : other_accels);
        }
    }
}

static char *
describe (const Accel *accel)
{
  return gtk_accelerator_name (accel->keyval, accel->mods);
}

static void
test_help_overlay_groups (void)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (HELP_OVERLAY);
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  g_autoptr (GArray) deal_accels = g_array_new (FALSE, FALSE, sizeof (Accel));
  g_autoptr (GArray) other_accels = g_array_new (FALSE, FALSE, sizeof (Accel));
  g_autoptr (GArray) all_accels = g_array_new (FALSE, FALSE, sizeof (Accel));
  const char *order[] = { "General", "Contacts", "Deals", "Certification", "Today" };
  GtkWindow *window;
  GtkWidget *section;
  Group *deals = NULL;
  guint max_height;

  window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (window));

  section = find_section (GTK_WIDGET (window));
  g_assert_nonnull (section);
  collect_groups (section, groups);
  g_object_get (section, "max-height", &max_height, NULL);

  /* the order of the views, in the language shown, as the pages show them
   * (GTK 4.8 turns the order of the pages around each time it lays them out
   * again, so more than one page shows the groups out of order) */
  for (guint i = 0; i < groups->len; i++)
    g_test_message ("group %u: “%s”, %u shortcuts, %u lines", i,
                    ((Group *) g_ptr_array_index (groups, i))->title,
                    ((Group *) g_ptr_array_index (groups, i))->n_shortcuts,
                    ((Group *) g_ptr_array_index (groups, i))->height);
  if (groups->len != G_N_ELEMENTS (order))
    report_failure ("%u groups, not %u", groups->len, (guint) G_N_ELEMENTS (order));
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      const char *wanted = i < G_N_ELEMENTS (order)
        ? g_dpgettext2 (GETTEXT_PACKAGE, "shortcut window", order[i]) : "(none)";

      if (g_strcmp0 (group->title, wanted) != 0)
        report_failure ("group %u is “%s”, not “%s”", i, group->title, wanted);
      /* none a lonely entry */
      if (group->n_shortcuts < 2)
        report_failure ("the group “%s” has %u entries", group->title,
                        group->n_shortcuts);
      /* nor taller than a column: it would run past the column's end */
      if (group->height > max_height)
        report_failure ("the group “%s” is %u lines, taller than a column (%u)",
                        group->title, group->height, max_height);
      g_array_append_vals (all_accels, group->accels->data, group->accels->len);
      if (g_strcmp0 (group->title,
                     g_dpgettext2 (GETTEXT_PACKAGE, "shortcut window", "Deals")) == 0)
        deals = group;
    }
  g_assert_nonnull (deals);

  read_readme_keys (deal_accels, other_accels);
  /* the tables were read: Ctrl+N in both, Shift+Ctrl+W in the deals' */
  g_assert_cmpuint (deal_accels->len, >=, 10);
  g_assert_cmpuint (other_accels->len, >=, 15);

  for (guint i = 0; i < deal_accels->len; i++)
    {
      const Accel *accel = &g_array_index (deal_accels, Accel, i);
      if (!accels_contain (deals->accels, accel))
        {
          g_autofree char *name = describe (accel);
          report_failure ("README.md's deal key %s is not in the Deals group", name);
        }
    }
  for (guint i = 0; i < other_accels->len; i++)
    {
      const Accel *accel = &g_array_index (other_accels, Accel, i);
      if (!accels_contain (all_accels, accel))
        {
          g_autofree char *name = describe (accel);
          report_failure ("README.md's key %s is not in the shortcuts window", name);
        }
    }

  gtk_window_destroy (window);
  crm_ui_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  if (!crm_ui_test_init (&argc, &argv))
    return 0;    /* the TAP plan said skip */

  g_test_add_func ("/help-overlay/groups", test_help_overlay_groups);
  return g_test_run ();
}
