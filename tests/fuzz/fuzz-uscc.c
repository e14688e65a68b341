/* fuzz-uscc.c — the unified social credit code check on any bytes
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Properties: crm_uscc_normalize () is idempotent; an accepted code is 18
 * of the allowed characters with the structure of GB 32100 (character 1 a
 * registration authority, 1-9, A, N or Y; characters 3-8 the administrative
 * division, digits), and its normal form is accepted as itself with the
 * same verdict on the check characters.
 */
#include "config.h"

#include <string.h>

#include "crm-uscc.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;
  gboolean checks_pass = FALSE;
  gboolean checks_pass_again = FALSE;

  fuzz_init ();
  once = crm_uscc_normalize (text);
  twice = crm_uscc_normalize (once);
  if (g_strcmp0 (once, twice) != 0)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_once = fuzz_escape (once);
      g_autofree char *e_twice = fuzz_escape (twice);

      fuzz_fail ("crm_uscc_normalize: \"%s\" -> \"%s\" -> \"%s\"", e_text, e_once, e_twice);
    }

  if (!crm_uscc_validate (text, &normalized, &checks_pass, &error))
    {
      if (error == NULL || error->domain != CRM_USCC_ERROR)
        fuzz_fail ("crm_uscc_validate refused without a CRM_USCC_ERROR");
      return 0;
    }
  if (normalized == NULL || strlen (normalized) != 18
      || strspn (normalized, "0123456789ABCDEFGHJKLMNPQRTUWXY") != 18)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_normalized = fuzz_escape (normalized);

      fuzz_fail ("\"%s\" accepted as \"%s\", not 18 code characters", e_text, e_normalized);
    }
  if (strchr ("123456789ANY", normalized[0]) == NULL
      || strspn (normalized + 2, "0123456789") < 6)
    {
      g_autofree char *e_text = fuzz_escape (text);

      fuzz_fail ("\"%s\" accepted as \"%s\", whose authority or division is wrong",
                 e_text, normalized);
    }
  if (!crm_uscc_validate (normalized, &again, &checks_pass_again, &error)
      || g_strcmp0 (again, normalized) != 0 || checks_pass_again != checks_pass)
    {
      g_autofree char *e_text = fuzz_escape (text);
      g_autofree char *e_again = fuzz_escape (again);

      fuzz_fail ("\"%s\" accepted as \"%s\" (checks %d), which %s \"%s\" (checks %d)",
                 e_text, normalized, checks_pass,
                 error != NULL ? error->message : "is accepted as", e_again,
                 checks_pass_again);
    }
  return 0;
}
