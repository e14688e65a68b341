/* crm-cli-search.c — `xiaohe-crm-cli search QUERY`: the contacts that match,
 * one a line
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's own search (crm_store_search_contacts: every word a substring
 * of the name, company, mobile, phone, e-mail or WeChat ID, in list order),
 * printed as name, mobile, e-mail and company separated by tabs, as
 * ../shared/DESIGN.md promises scripts. A tab or line break inside a field
 * becomes a space so that a line is always one contact. It only reads: no
 * lock, so it works while the app is open.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "crm-cli.h"

static void
print_field (GString    *line,
             const char *text)
{
  for (const char *p = text; *p; p++)
    g_string_append_c (line, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

/**
 * crm_cli_search:
 *
 * `search QUERY`; several arguments are one query of several words.
 */
int
crm_cli_search (CrmCli  *cli,
                int      argc,
                char   **argv)
{
  static const CrmContactField fields[] = {
    CRM_CONTACT_FIELD_NAME, CRM_CONTACT_FIELD_MOBILE, CRM_CONTACT_FIELD_EMAIL,
    CRM_CONTACT_FIELD_COMPANY,
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *query = NULL;

  context = g_option_context_new (_("QUERY"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Prints the contacts that match: name, mobile, "
                                           "e-mail and company, tab-separated."));
  if (!crm_cli_parse (context, "search", &argc, &argv))
    return CRM_CLI_EXIT_USAGE;
  if (argc < 2)
    return crm_cli_usage_error ("search", _("No query given"));
  query = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (query, -1, NULL))
    return crm_cli_usage_error ("search", _("The query is not valid UTF-8"));

  store = crm_cli_open_store (cli, FALSE, NULL, &error);
  if (store == NULL)
    return crm_cli_fail (error);
  found = crm_store_search_contacts (store, query, G_MAXINT, &error);
  if (found == NULL)
    return crm_cli_fail (error);
  for (guint i = 0; i < found->len; i++)
    {
      CrmContact *contact = g_ptr_array_index (found, i);

      g_string_truncate (line, 0);
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          if (f > 0)
            g_string_append_c (line, '\t');
          print_field (line, crm_contact_get_field (contact, fields[f]));
        }
      g_string_append_c (line, '\n');
      fwrite (line->str, 1, line->len, stdout);
    }
  return CRM_CLI_EXIT_OK;
}
