/* fuzz-validate.c — every contact field's validator on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Property, for every field: when x is accepted as y, y is accepted as
 * exactly y (a stored contact re-saves byte-identical). A refusal carries a
 * CRM_VALIDATE_ERROR.
 */
#include "config.h"

#include "crm-validate.h"
#include "fuzz-common.h"

static void
check_field (CrmContactField  field,
             const char      *text)
{
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  g_autoptr (GError) error = NULL;

  if (!crm_validate_field (field, text, &once, &error))
    {
      if (error == NULL || error->domain != CRM_VALIDATE_ERROR)
        fuzz_fail ("crm_validate_field (%d) refused without a CRM_VALIDATE_ERROR", field);
      return;
    }
  if (once == NULL)
    return; /* nothing to normalise into */
  if (!crm_validate_field (field, once, &twice, &error) || g_strcmp0 (once, twice) != 0)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_once = fuzz_escape (once);
      g_autofree char *e_twice = fuzz_escape (twice);

      fuzz_fail ("field %d: \"%s\" -> \"%s\" -> %s \"%s\"", field, e_text, e_once,
                 error != NULL ? error->message : "", e_twice);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);

  fuzz_init ();
  for (int field = 0; field < CRM_CONTACT_N_FIELDS; field++)
    check_field (field, text);
  return 0;
}
