/* crm-terms-window.c — the terms of service, to accept or to read
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terms say that a user who does not accept them cannot enter the
 * system. On first start, and after a new version of the terms, the app
 * shows this window before anything else; "Agree" needs the tick of "I
 * have read and agree", "Decline" (or closing the window) quits. The text
 * is shown in Chinese for a Chinese locale, else in English, with a switch
 * to the other. From the main menu the same window only shows the terms.
 *
 * A revision published by the team's server (a terms notice,
 * crm-store-notices.c) is shown the same way with the notice's text in
 * place of the shipped one (crm_terms_window_set_revision()): the server
 * sends one text, so the language switch is hidden, and the version to
 * record on "Agree" is the notice's (crm_terms_window_get_version()).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-terms-window.h"

struct _CrmTermsWindow
{
  AdwWindow       parent_instance;

  GtkToggleButton *zh_button;
  GtkToggleButton *en_button;
  GtkWidget      *language_box;
  GtkTextView    *text_view;
  AdwWindowTitle *window_title;
  GtkCheckButton *agree_check;
  GtkWidget      *agree_button;

  gboolean        read_only;
  gboolean        answered;

  char           *revision_version;  /* NULL: the terms this app ships */
  char           *revision_title;
  char           *revision_body;
};

G_DEFINE_FINAL_TYPE (CrmTermsWindow, crm_terms_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESPONSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/**
 * crm_terms_get_version:
 *
 * Returns: (transfer full): the version of the terms this app ships;
 *   `$XIAOHE_CRM_TERMS_VERSION` stands for a newer one (tests).
 */
char *
crm_terms_get_version (void)
{
  const char *env = g_getenv ("XIAOHE_CRM_TERMS_VERSION");
  g_autoptr (GBytes) bytes = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  bytes = g_resources_lookup_data (RESOURCE_PATH "/terms/version", 0, NULL);
  g_return_val_if_fail (bytes != NULL, g_strdup ("unknown"));
  return g_strstrip (g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

static const char *
default_language (void)
{
  const char * const *names = g_get_language_names ();

  return g_str_has_prefix (names[0], "zh") ? "zh_CN" : "en";
}

/* the text to show: the revision's (its title first), else the shipped
 * terms in the language chosen */
static char *
terms_text (CrmTermsWindow *self)
{
  const char *language = crm_terms_window_get_language (self);
  g_autofree char *path = g_strdup_printf (RESOURCE_PATH "/terms/terms.%s.txt", language);
  g_autoptr (GBytes) bytes = NULL;

  if (self->revision_body != NULL)
    return g_strdup_printf ("%s\n\n%s", self->revision_title, self->revision_body);
  bytes = g_resources_lookup_data (path, 0, NULL);
  g_return_val_if_fail (bytes != NULL, g_strdup (""));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
show_text (CrmTermsWindow *self)
{
  g_autofree char *version = crm_terms_window_get_version (self);
  g_autofree char *subtitle = g_strdup_printf (_("Version %s"), version);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_auto (GStrv) paragraphs = NULL;
  g_autofree char *text = NULL;

  /* the files keep a blank line between paragraphs; the view spaces them */
  text = terms_text (self);
  paragraphs = g_strsplit (g_strstrip (text), "\n\n", -1);
  g_free (text);
  text = g_strjoinv ("\n", paragraphs);
  gtk_text_buffer_set_text (buffer, text, -1);
  /* the first paragraph is the title */
  gtk_text_buffer_get_start_iter (buffer, &start);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, "title", &start, &end);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
on_language_changed (CrmTermsWindow  *self,
                     GtkToggleButton *button)
{
  /* each switch toggles two buttons: show the text once */
  if (gtk_toggle_button_get_active (button))
    show_text (self);
}

static void
respond (CrmTermsWindow *self,
         gboolean        agreed)
{
  if (self->answered)
    return;
  self->answered = TRUE;
  g_signal_emit (self, signals[RESPONSE], 0, agreed);
}

static void
on_agree_clicked (CrmTermsWindow *self)
{
  if (gtk_check_button_get_active (self->agree_check))
    respond (self, TRUE);
}

static void
on_decline_clicked (CrmTermsWindow *self)
{
  respond (self, FALSE);
}

static gboolean
crm_terms_window_close_request (GtkWindow *window)
{
  CrmTermsWindow *self = CRM_TERMS_WINDOW (window);

  /* closing the window before answering declines */
  if (!self->read_only)
    respond (self, FALSE);
  return GTK_WINDOW_CLASS (crm_terms_window_parent_class)->close_request (window);
}

static void
crm_terms_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmTermsWindow *self = CRM_TERMS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_terms_window_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmTermsWindow *self = CRM_TERMS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      self->read_only = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_terms_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CRM_TYPE_TERMS_WINDOW);
  G_OBJECT_CLASS (crm_terms_window_parent_class)->dispose (object);
}

static void
crm_terms_window_finalize (GObject *object)
{
  CrmTermsWindow *self = CRM_TERMS_WINDOW (object);

  g_free (self->revision_version);
  g_free (self->revision_title);
  g_free (self->revision_body);
  G_OBJECT_CLASS (crm_terms_window_parent_class)->finalize (object);
}

static void
crm_terms_window_class_init (CrmTermsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_terms_window_dispose;
  object_class->finalize = crm_terms_window_finalize;
  object_class->get_property = crm_terms_window_get_property;
  object_class->set_property = crm_terms_window_set_property;
  window_class->close_request = crm_terms_window_close_request;

  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmTermsWindow::response:
   * @agreed: %TRUE for "Agree", %FALSE for "Decline" or the window closed
   */
  signals[RESPONSE] = g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/crm-terms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, zh_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, en_button);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, language_box);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, agree_check);
  gtk_widget_class_bind_template_child (widget_class, CrmTermsWindow, agree_button);
  gtk_widget_class_bind_template_callback (widget_class, on_language_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_agree_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_decline_clicked);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0,
                                (GtkShortcutFunc)gtk_window_close, NULL);
}

static void
crm_terms_window_init (CrmTermsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "title",
                              "weight", PANGO_WEIGHT_BOLD, "scale", 1.4,
                              "pixels-below-lines", 12, NULL);
  crm_terms_window_set_language (self, default_language ());
}

GtkWidget *
crm_terms_window_new (gboolean read_only)
{
  return g_object_new (CRM_TYPE_TERMS_WINDOW, "read-only", read_only, NULL);
}

/**
 * crm_terms_window_get_language:
 *
 * Returns: the language the terms are shown in: "zh_CN" or "en".
 */
const char *
crm_terms_window_get_language (CrmTermsWindow *self)
{
  g_return_val_if_fail (CRM_IS_TERMS_WINDOW (self), NULL);
  return gtk_toggle_button_get_active (self->zh_button) ? "zh_CN" : "en";
}

void
crm_terms_window_set_language (CrmTermsWindow *self,
                               const char     *language)
{
  GtkToggleButton *button;

  g_return_if_fail (CRM_IS_TERMS_WINDOW (self));

  button = g_strcmp0 (language, "zh_CN") == 0 ? self->zh_button : self->en_button;
  if (gtk_toggle_button_get_active (button))
    show_text (self);
  else
    gtk_toggle_button_set_active (button, TRUE);
}

/**
 * crm_terms_window_set_revision:
 * @version: the version the revision asks to accept
 * @title: its title (the notice's)
 * @body: its text: the new terms
 *
 * Shows a revision of the terms published by the team's server instead of
 * the terms this app ships.
 */
void
crm_terms_window_set_revision (CrmTermsWindow *self,
                               const char     *version,
                               const char     *title,
                               const char     *body)
{
  g_return_if_fail (CRM_IS_TERMS_WINDOW (self));
  g_return_if_fail (version != NULL && title != NULL && body != NULL);

  g_free (self->revision_version);
  self->revision_version = g_strdup (version);
  g_free (self->revision_title);
  self->revision_title = g_strdup (title);
  g_free (self->revision_body);
  self->revision_body = g_strdup (body);
  gtk_widget_set_visible (self->language_box, FALSE);
  show_text (self);
}

/**
 * crm_terms_window_get_version:
 *
 * Returns: (transfer full): the version of the terms shown: the revision's,
 *   else crm_terms_get_version()
 */
char *
crm_terms_window_get_version (CrmTermsWindow *self)
{
  g_return_val_if_fail (CRM_IS_TERMS_WINDOW (self), NULL);

  if (self->revision_version != NULL)
    return g_strdup (self->revision_version);
  return crm_terms_get_version ();
}
