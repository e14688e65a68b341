/* fuzz-common.h — what every fuzz target shares
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target defines LLVMFuzzerTestOneInput (), which libFuzzer calls with
 * -Dfuzzing=true and replay.c calls on every saved input otherwise. A broken
 * property is a crash: fuzz_fail () prints what broke and aborts.
 */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Criticals and warnings from the code under test are crashes too: a
 * g_return_if_fail () that trips is a contract that input can break. */
static inline void
fuzz_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&done, 1);
    }
}

/* @data as a C string: up to its first NUL byte, not validated */
static inline char *
fuzz_string (const uint8_t *data,
             size_t         size)
{
  return g_strndup ((const char *)data, size);
}

/* a text, escaped so that any bytes print on one line */
static inline char *
fuzz_escape (const char *text)
{
  return text != NULL ? g_strescape (text, NULL) : g_strdup ("(null)");
}

G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static inline void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz property broken: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}
