/* crm-deal-card.c — one deal on the board
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Title, customer, amount, and the probability with the expected close
 * date, each on its own line: a column of the board is as narrow as 150
 * px at the default window width (six columns side by side in 1000 px),
 * where "¥12,000.00 · 50% · Dec 31" on one line was cut. Its accessible
 * name says all of it, for screen readers and tests.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-card.h"
#include "crm-format.h"

struct _CrmDealCard
{
  GtkWidget  parent_instance;

  CrmDeal   *deal;
  GtkLabel  *label;
};

G_DEFINE_FINAL_TYPE (CrmDealCard, crm_deal_card, GTK_TYPE_WIDGET)

/**
 * crm_deal_card_describe:
 *
 * Returns: (transfer full): the deal in one line: “Title, customer,
 *   ¥amount”, what a screen reader says of a card or a row.
 */
char *
crm_deal_card_describe (CrmDeal *deal)
{
  g_autofree char *money = crm_format_money (crm_deal_get_amount (deal), "CNY");
  const char *contact = crm_deal_get_contact_name (deal);

  if (contact == NULL || *contact == '\0')
    /* TRANSLATORS: a deal read aloud: its title, then its amount */
    return g_strdup_printf (_("%s, %s"), crm_deal_get_title (deal), money);
  /* TRANSLATORS: a deal read aloud: title, customer, amount */
  return g_strdup_printf (_("%s, %s, %s"), crm_deal_get_title (deal), contact, money);
}

/* One label of four lines (GTK 4.8 keeps some 200 rows of each column
 * alive and measures them all: one Pango layout a card, not four). */
void
crm_deal_card_set_deal (CrmDealCard *self,
                        CrmDeal     *deal)
{
  g_autofree char *money = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *description = NULL;
  g_autofree char *short_close = NULL;
  const char *contact;
  const char *close;

  g_return_if_fail (CRM_IS_DEAL_CARD (self));

  g_set_object (&self->deal, deal);
  if (deal == NULL)
    return;

  money = crm_format_money (crm_deal_get_amount (deal), "CNY");
  contact = crm_deal_get_contact_name (deal);
  close = crm_deal_get_expected_close (deal);
  short_close = crm_format_date_short (close, NULL);
  if (close != NULL && *close != '\0')
    /* TRANSLATORS: on a deal card, under the amount: probability and
     * expected close date (short: Dec 31, 12月31日) */
    detail = g_strdup_printf (_("%d%% · %s"), crm_deal_get_probability (deal),
                              short_close != NULL ? short_close : close);
  else
    detail = g_strdup_printf ("%d%%", crm_deal_get_probability (deal));
  if (contact == NULL || *contact == '\0')
    contact = _("No customer");
  markup = g_markup_printf_escaped ("<b>%s</b>\n<span alpha=\"60%%\" size=\"small\">%s</span>\n"
                                    "<span font_features=\"tnum=1\">%s\n%s</span>",
                                    crm_deal_get_title (deal), contact, money, detail);
  gtk_label_set_markup (self->label, markup);

  description = crm_deal_card_describe (deal);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

CrmDeal *
crm_deal_card_get_deal (CrmDealCard *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_CARD (self), NULL);
  return self->deal;
}

GtkWidget *
crm_deal_card_new (void)
{
  return g_object_new (CRM_TYPE_DEAL_CARD, NULL);
}

static void
crm_deal_card_dispose (GObject *object)
{
  CrmDealCard *self = (CrmDealCard *)object;

  g_clear_pointer ((GtkWidget **)&self->label, gtk_widget_unparent);
  g_clear_object (&self->deal);

  G_OBJECT_CLASS (crm_deal_card_parent_class)->dispose (object);
}

static void
crm_deal_card_class_init (CrmDealCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_card_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "crm-deal-card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
crm_deal_card_init (CrmDealCard *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->label, FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->label), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->label), 8);
  gtk_widget_set_margin_start (GTK_WIDGET (self->label), 8);
  gtk_widget_set_margin_end (GTK_WIDGET (self->label), 8);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
}
