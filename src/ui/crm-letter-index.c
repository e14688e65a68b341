/* crm-letter-index.c — the A–Z index beside the contact list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column of letters, A to Z and # (names that start with no letter), like
 * a phone's address book: a click on a letter, or the letter typed while the
 * index has the focus (Ctrl+J in the contacts page puts it there), emits
 * ::letter-activated; the page jumps to the first contact of that letter
 * (crm_contact_list_find_letter()). Each letter is a flat button, so it is
 * reached with Tab and the arrows and read out by a screen reader ("Jump to
 * L"). The buttons are made small here rather than in style.css so that the
 * index keeps its size outside the app too (the widget tests), and the
 * column scrolls rather than making the window taller.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-letter-index.h"

#define LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ#"
#define N_LETTERS (sizeof LETTERS - 1)

struct _CrmLetterIndex
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *buttons[N_LETTERS];
};

G_DEFINE_FINAL_TYPE (CrmLetterIndex, crm_letter_index, GTK_TYPE_WIDGET)

enum {
  LETTER_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* the index of @letter in LETTERS (a–z as A–Z), or -1 */
static int
letter_slot (char letter)
{
  const char *at;

  if (letter == '\0')
    return -1;
  at = strchr (LETTERS, g_ascii_toupper (letter));
  return at ? at - LETTERS : -1;
}

static void
on_button_clicked (GtkButton      *button,
                   CrmLetterIndex *self)
{
  char letter = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "crm-letter"));

  g_signal_emit (self, signals[LETTER_ACTIVATED], 0, (int)letter);
}

/* a letter typed while the index has the focus: to that letter */
static gboolean
on_key_pressed (CrmLetterIndex        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  int slot;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 || c == 0 || c >= 0x80)
    return FALSE;
  slot = letter_slot ((char)c);
  if (slot < 0)
    return FALSE;
  gtk_widget_grab_focus (self->buttons[slot]);
  g_signal_emit (self, signals[LETTER_ACTIVATED], 0, (int)LETTERS[slot]);
  return TRUE;
}

/**
 * crm_letter_index_focus_letter:
 * @letter: 'A'..'Z' (or lowercase) or '#'
 *
 * Puts the keyboard focus on @letter, for the letters typed next.
 *
 * Returns: whether the focus moved there
 */
gboolean
crm_letter_index_focus_letter (CrmLetterIndex *self,
                               char            letter)
{
  int slot;

  g_return_val_if_fail (CRM_IS_LETTER_INDEX (self), FALSE);

  slot = letter_slot (letter);
  if (slot < 0)
    slot = 0;
  return gtk_widget_grab_focus (self->buttons[slot]);
}

static GtkCssProvider *
get_css (void)
{
  static GtkCssProvider *provider;

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_data (provider,
                                       "button { min-height: 0; min-width: 0;"
                                       " padding: 0 6px; margin: 0; }",
                                       -1);
    }
  return provider;
}

static void
crm_letter_index_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_LETTER_INDEX);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (crm_letter_index_parent_class)->dispose (object);
}

static void
crm_letter_index_class_init (CrmLetterIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_letter_index_dispose;

  /**
   * CrmLetterIndex::letter-activated:
   * @letter: 'A'..'Z' or '#'
   */
  signals[LETTER_ACTIVATED] = g_signal_new ("letter-activated", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/co/xiaohe/Crm/crm-letter-index.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLetterIndex, box);
  gtk_widget_class_set_css_name (widget_class, "crm-letter-index");
}

static void
crm_letter_index_init (CrmLetterIndex *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_LETTERS; i++)
    {
      char text[2] = { LETTERS[i], '\0' };
      /* Translators: the accessible name and tooltip of a letter of the
       * A–Z index beside the contact list */
      g_autofree char *name = g_strdup_printf (_("Jump to %s"), text);
      GtkWidget *button = gtk_button_new_with_label (text);

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "caption");
      gtk_style_context_add_provider (gtk_widget_get_style_context (button),
                                      GTK_STYLE_PROVIDER (get_css ()),
                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data (G_OBJECT (button), "crm-letter", GINT_TO_POINTER (LETTERS[i]));
      g_signal_connect (button, "clicked", G_CALLBACK (on_button_clicked), self);
      gtk_box_append (GTK_BOX (self->box), button);
      self->buttons[i] = button;
    }

  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
crm_letter_index_new (void)
{
  return g_object_new (CRM_TYPE_LETTER_INDEX, NULL);
}
