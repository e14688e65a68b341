/* crm-contact-letters.c — the A–Z index of the contact list
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A contact's index letter is the first byte of its stored sort key
 * (crm_pinyin_sort_key(): 'A'..'Z', or '~' for '#', which sorts last), so the
 * first contact of a letter is where the keys reach that byte. The list is
 * in key order, searched or not, so a binary search over its positions
 * finds it: about twenty items read, each page of them from the list's own
 * cache or one index seek, at a million contacts as at ten.
 */
#include "config.h"

#include <string.h>

#include "crm-contact-letters.h"
#include "crm-contact-private.h"
#include "crm-pinyin.h"

/**
 * crm_contact_get_letter:
 *
 * Returns: the letter of the A–Z index @contact is listed under: 'A'..'Z'
 *   or '#' (also for a contact never saved).
 */
char
crm_contact_get_letter (CrmContact *contact)
{
  g_return_val_if_fail (CRM_IS_CONTACT (contact), '#');
  return crm_pinyin_key_letter (_crm_contact_get_sort_key (contact));
}

/**
 * crm_contact_list_find_letter:
 * @letter: 'A'..'Z' or '#'
 *
 * Returns: the position of the first contact of @list listed under @letter
 *   or, when there is none, under a letter after it; the last position when
 *   there is none either; %G_MAXUINT for an empty list.
 */
guint
crm_contact_list_find_letter (CrmContactList *list,
                              char            letter)
{
  GListModel *model = G_LIST_MODEL (list);
  guint n = g_list_model_get_n_items (model);
  char prefix[2] = { letter == '#' ? '~' : g_ascii_toupper (letter), '\0' };
  guint lo = 0, hi = n;

  g_return_val_if_fail (CRM_IS_CONTACT_LIST (list), G_MAXUINT);
  g_return_val_if_fail (letter == '#' || g_ascii_isalpha (letter), G_MAXUINT);

  if (n == 0)
    return G_MAXUINT;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr (CrmContact) contact = g_list_model_get_item (model, mid);
      const char *key = _crm_contact_get_sort_key (contact);

      /* a placeholder for a row that could not be read has no key */
      if (strcmp (key ? key : "", prefix) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return MIN (lo, n - 1);
}
