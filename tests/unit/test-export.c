/* test-export.c — contacts, deals and follow-ups out as CSV, XLSX and vCard
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real store; the files written are read back byte for byte (CSV), as the
 * zip and sheet XML they are (XLSX, through libarchive), and through
 * libebook-contacts' parser (vCard).
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <libebook-contacts/libebook-contacts.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "crm-cli.h"
#include "crm-export.h"
#include "crm-io.h"
#include "crm-table.h"
#include "crm-test-util.h"

#define BOM "\xef\xbb\xbf"
#define CSV_HEADER "Name,Company,Title,Mobile,Phone,E-mail,WeChat,Address,Tags,Notes,Owner," \
                   "Created,Updated,UID\r\n"

typedef struct
{
  CrmTestStore *ts;
  char         *out;     /* a folder for the files */
  CrmContact   *zhang;
  CrmContact   *li;
} Fixture;

static void
set_fields (CrmStore   *store,
            CrmContact *contact,
            ...)
{
  g_autoptr (GError) error = NULL;
  va_list ap;
  int field;

  va_start (ap, contact);
  while ((field = va_arg (ap, int)) >= 0)
    crm_contact_set_field (contact, field, va_arg (ap, const char *));
  va_end (ap);
  crm_store_save_contact (store, contact, &error);
  g_assert_no_error (error);
}

static void
add_deal (CrmStore     *store,
          const char   *title,
          CrmContact   *contact,
          gint64        fen,
          CrmDealStage  stage,
          const char   *close)
{
  g_autoptr (CrmDeal) deal = crm_deal_new ();
  g_autoptr (GError) error = NULL;

  crm_deal_set_title (deal, title);
  crm_deal_set_contact_id (deal, contact ? crm_contact_get_id (contact) : NULL);
  crm_deal_set_amount (deal, fen);
  crm_deal_set_stage (deal, stage);
  crm_deal_set_probability (deal, crm_deal_stage_default_probability (stage));
  crm_deal_set_expected_close (deal, close);
  crm_store_save_deal (store, deal, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  CrmStore *store;

  f->ts = crm_test_store_new ();
  f->out = crm_test_make_tmp_dir ();
  store = f->ts->store;
  f->zhang = crm_test_add (store, "张三", "13812345678", "zhang@example.com");
  set_fields (store, f->zhang,
              CRM_CONTACT_FIELD_COMPANY, "=HYPERLINK(\"http://evil\")",
              CRM_CONTACT_FIELD_TITLE, "-2+3",
              CRM_CONTACT_FIELD_NOTES, "He said \"hi\", then\nleft",
              CRM_CONTACT_FIELD_TAGS, "@vip，重点",
              CRM_CONTACT_FIELD_ADDRESS, "北京市海淀区中关村大街1号",
              -1);
  f->li = crm_test_add (store, "李四", "13900000001", "");
  set_fields (store, f->li, CRM_CONTACT_FIELD_COMPANY, "小禾科技", -1);
  add_deal (store, "大单", f->zhang, 123456789, CRM_DEAL_PROPOSAL, "2026-12-31");
  add_deal (store, "零头", f->li, 5, CRM_DEAL_LEAD, NULL);
  add_deal (store, "整数", NULL, 100000, CRM_DEAL_WON, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->zhang);
  g_clear_object (&f->li);
  crm_test_store_free (f->ts);
  crm_test_rm_rf (f->out);
  g_free (f->out);
}

static char *
export_to (Fixture          *f,
           const char       *name,
           CrmExportFormat   format,
           CrmExportWhat     what,
           CrmExportFlags    flags)
{
  g_autofree char *path = g_build_filename (f->out, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  crm_export (f->ts->store, file, format, what, flags, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
read_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* the lines of a CSV (CRLF), the first without its BOM */
static GStrv
csv_lines (const char *text)
{
  g_assert_true (g_str_has_prefix (text, BOM));
  return g_strsplit (text + strlen (BOM), "\r\n", -1);
}

static void
test_csv_bytes (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = export_to (f, "c.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_CONTACTS,
                                     CRM_EXPORT_FLAGS_NONE);
  g_autofree char *text = read_text (path);
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_str_has_prefix (text, BOM CSV_HEADER));
  /* 张三 sorts before 李四 (pinyin: li < zhang)? The list's order decides */
  g_assert_nonnull (strstr (text, "\r\n李四,小禾科技,,13900000001,,,,,,,,"));
  expected = g_strdup_printf ("\r\n张三,\"'=HYPERLINK(\"\"http://evil\"\")\",'-2+3,"
                              "13812345678,,zhang@example.com,,北京市海淀区中关村大街1号,"
                              "'@vip，重点,\"He said \"\"hi\"\", then\nleft\",,");
  g_assert_nonnull (strstr (text, expected));
  /* the UID column ends each row with the contact's id */
  g_assert_nonnull (strstr (text, crm_contact_get_id (f->zhang)));
  lines = csv_lines (text);
  /* header, 李四, 张三 (its note's LF quoted inside), "" */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  /* times: local "YYYY-MM-DD HH:MM:SS" (TZ=UTC here) */
  g_assert_true (g_regex_match_simple (",\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,"
                                       "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,"
                                       "[0-9a-f-]{36}$", lines[1], 0, 0));
}

static void
test_csv_no_bom (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = export_to (f, "c.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_CONTACTS,
                                     CRM_EXPORT_FLAGS_NO_BOM);
  g_autofree char *text = read_text (path);

  g_assert_true (g_str_has_prefix (text, CSV_HEADER));
}

static void
test_csv_deals (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = export_to (f, "d.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_DEALS,
                                     CRM_EXPORT_FLAGS_NONE);
  g_autofree char *text = read_text (path);
  g_auto (GStrv) lines = csv_lines (text);

  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[0], "Title,Contact,Amount (yuan),Stage,"
                                   "Probability (%),Expected close,Lost reason,Notes,Won,"
                                   "Created,Updated,UID,Contact UID"));
  g_assert_true (g_str_has_prefix (lines[1], "大单,张三,1234567.89,Proposal,"));
  g_assert_nonnull (strstr (lines[1], ",2026-12-31,"));
  g_assert_true (g_str_has_prefix (lines[2], "零头,李四,0.05,Lead,10,,"));
  g_assert_true (g_str_has_prefix (lines[3], "整数,,1000.00,Won,100,,"));
  g_assert_true (g_str_has_suffix (lines[1], crm_contact_get_id (f->zhang)));
}

static void
test_csv_all (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = export_to (f, "all.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_ALL,
                                     CRM_EXPORT_FLAGS_NONE);
  g_autofree char *contacts = g_build_filename (f->out, "all-contacts.csv", NULL);
  g_autofree char *deals = g_build_filename (f->out, "all-deals.csv", NULL);
  g_autofree char *c = read_text (contacts);
  g_autofree char *d = read_text (deals);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_str_has_prefix (c, BOM "Name,"));
  g_assert_true (g_str_has_prefix (d, BOM "Title,"));
}

/* headers and stage names in the UI language: what the importer maps back */
static void
test_csv_chinese (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *contacts = NULL;
  g_autofree char *deals = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  /* gettext looks at LANGUAGE again once textdomain() is called */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  textdomain (GETTEXT_PACKAGE);
  contacts = export_to (f, "c.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_CONTACTS, 0);
  deals = export_to (f, "d.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_DEALS, 0);
  g_setenv ("LANGUAGE", "en", TRUE);
  textdomain (GETTEXT_PACKAGE);
  c = read_text (contacts);
  d = read_text (deals);
  g_assert_true (g_str_has_prefix (c, BOM "姓名,公司,职务,手机,电话,邮箱,微信,地址,标签,备注,"
                                   "负责人,创建时间,更新时间,UID\r\n"));
  g_assert_true (g_str_has_prefix (d, BOM "商机名称,联系人,金额（元）,"));
  g_assert_nonnull (strstr (d, "\r\n大单,张三,1234567.89,"));
}

/* what the readers (crm_table_read(), the importer's) get back from our
 * files: the same text; CSV's formula guard is the one difference */
static void
test_read_back (Fixture       *f,
                gconstpointer  data)
{
  static const CrmExportFormat formats[] = { CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_FORMAT_XLSX };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = export_to (f, i == 0 ? "c.csv" : "c.xlsx", formats[i],
                                         CRM_EXPORT_CONTACTS, 0);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmTable) table = crm_table_read (file, CRM_TABLE_FORMAT_AUTO, NULL, &error);
      GStrv header, zhang;

      g_assert_no_error (error);
      g_assert_cmpuint (table->rows->len, ==, 3);
      header = table->rows->pdata[0];
      zhang = table->rows->pdata[2];
      g_assert_cmpstr (header[0], ==, "Name");
      g_assert_cmpstr (header[13], ==, "UID");
      g_assert_cmpstr (zhang[0], ==, "张三");
      g_assert_cmpstr (zhang[1], ==, i == 0 ? "'=HYPERLINK(\"http://evil\")"
                                            : "=HYPERLINK(\"http://evil\")");
      g_assert_cmpstr (zhang[3], ==, "13812345678");
      g_assert_cmpstr (zhang[9], ==, "He said \"hi\", then\nleft");
      g_assert_cmpstr (zhang[13], ==, crm_contact_get_id (f->zhang));
    }
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* xiaohe-crm-cli export, in a child process (its output is checked) */
static int
run_cli (const char *arg1,
         const char *arg2,
         const char *arg3)
{
  const char *argv[] = { "xiaohe-crm-cli", "--data-dir", g_getenv ("CLI_DIR"), "export", arg1,
                         arg2, arg3, NULL };
  int argc = 4;

  while (argv[argc] != NULL)
    argc++;
  return crm_cli_main (argc, (char **)argv);
}

/* the child: the case CLI_CASE, in the parent's folders (CLI_DIR, CLI_OUT) */
static void
cli_child (void)
{
  const char *which = g_getenv ("CLI_CASE");
  g_autofree char *path = g_build_filename (g_getenv ("CLI_OUT"), g_getenv ("CLI_FILE"),
                                            NULL);

  if (g_str_equal (which, "ok"))
    exit (run_cli (path, g_getenv ("CLI_ARG"), g_getenv ("CLI_VALUE")));
  /* usage errors: exit 2 (told by the child: GLib 2.74 cannot read the status) */
  exit (run_cli (path, g_getenv ("CLI_ARG"), g_getenv ("CLI_VALUE")) == CRM_CLI_EXIT_USAGE
        ? 0 : 1);
}

static void
cli_case (const char *which,
          const char *file,
          const char *arg,
          const char *value)
{
  g_setenv ("CLI_CASE", which, TRUE);
  g_setenv ("CLI_FILE", file, TRUE);
  if (arg != NULL)
    g_setenv ("CLI_ARG", arg, TRUE);
  else
    g_unsetenv ("CLI_ARG");
  if (value != NULL)
    g_setenv ("CLI_VALUE", value, TRUE);
  else
    g_unsetenv ("CLI_VALUE");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void add_followup (CrmStore *store, CrmContact *contact, const char *deal_id,
                          CrmFollowupKind kind, const char *happened_at, const char *notes);

static void
test_cli (void)
{
  Fixture f = { NULL };
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *xlsx = NULL;
  g_autofree char *zip = NULL;
  g_autofree char *deals = NULL;
  g_autofree char *fu = NULL;
  g_autofree char *fu_text = NULL;
  static const char *const bad[][4] = {
    { "x.txt", NULL, NULL, "*Cannot tell the format*" },
    { "x.vcf", "-w", "deals", "*contacts only*" },
    { "x.csv", "--what", "everything", "*Unknown --what*" },
    { "x.csv", "--format", "pdf", "*Unknown format*" },
  };
  guint n_before;

  if (g_test_subprocess ())
    cli_child ();

  fixture_set_up (&f, NULL);
  g_setenv ("CLI_DIR", f.ts->dir, TRUE);
  g_setenv ("CLI_OUT", f.out, TRUE);
  csv = g_build_filename (f.out, "客户.csv", NULL);
  expected = g_strdup_printf ("2 records written to %s\n", csv);
  xlsx = g_build_filename (f.out, "all.xlsx", NULL);
  zip = g_build_filename (f.out, "all.zip", NULL);
  deals = g_build_filename (f.out, "d-deals.csv", NULL);

  cli_case ("ok", "客户.csv", NULL, NULL);
  g_test_trap_assert_stdout (expected);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  cli_case ("ok", "all.xlsx", "--what", "all");
  g_test_trap_assert_stdout ("5 records written to *all.xlsx\n");
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  cli_case ("ok", "all.zip", NULL, NULL);
  g_assert_true (g_file_test (zip, G_FILE_TEST_IS_REGULAR));
  cli_case ("ok", "d.csv", "--what=all", NULL);
  g_test_trap_assert_stdout ("5 records written to *d-contacts.csv and *d-deals.csv\n");
  g_assert_true (g_file_test (deals, G_FILE_TEST_IS_REGULAR));
  add_followup (f.ts->store, f.li, NULL, CRM_FOLLOWUP_VISIT, "2026-11-20T01:00:00Z", "谈了价格");
  cli_case ("ok", "fu.csv", "-w", "followups");
  g_test_trap_assert_stdout ("1 record written to *fu.csv\n");
  fu = g_build_filename (f.out, "fu.csv", NULL);
  g_assert_true (g_file_get_contents (fu, &fu_text, NULL, NULL));
  g_assert_nonnull (strstr (fu_text, "谈了价格"));

  /* usage errors: exit 2, a message, nothing written */
  n_before = count_files (f.out);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      cli_case ("usage", bad[i][0], bad[i][1], bad[i][2]);
      g_test_trap_assert_stderr (bad[i][3]);
    }
  g_assert_cmpuint (count_files (f.out), ==, n_before);
  fixture_tear_down (&f, NULL);
}

static void
test_money (void)
{
  static const struct { gint64 fen; const char *text; } cases[] = {
    { 0, "0.00" }, { 1, "0.01" }, { 10, "0.10" }, { 99, "0.99" }, { 100, "1.00" },
    { 123456789, "1234567.89" }, { 10000000000001, "100000000000.01" },
    { G_MAXINT64, "92233720368547758.07" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_export_money_text (cases[i].fen);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* the double nearest the decimal: what a spreadsheet keeps for "0.29" */
  g_assert_true (crm_export_money_value (29) == 0.29);
  g_assert_true (crm_export_money_value (123456789) == 1234567.89);
  g_assert_true (crm_export_money_value (1) == 0.01);
}

static void
test_guard (void)
{
  g_assert_true (crm_export_needs_guard ("=1+1"));
  g_assert_true (crm_export_needs_guard ("+86"));
  g_assert_true (crm_export_needs_guard ("-1"));
  g_assert_true (crm_export_needs_guard ("@SUM(A1)"));
  g_assert_true (crm_export_needs_guard ("\t=1"));
  g_assert_true (crm_export_needs_guard ("\r=1"));
  g_assert_false (crm_export_needs_guard ("张三"));
  g_assert_false (crm_export_needs_guard (""));
  g_assert_false (crm_export_needs_guard ("a=1"));
}

/* the member @name of the zip at @path, or NULL */
static char *
zip_member (const char *path,
            const char *name)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  char *text = NULL;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 16384), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    if (g_str_equal (archive_entry_pathname (entry), name))
      {
        GString *s = g_string_new (NULL);
        char buf[8192];
        la_ssize_t n;

        while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
          g_string_append_len (s, buf, n);
        g_assert_cmpint (n, ==, 0);
        text = g_string_free (s, FALSE);
        break;
      }
  archive_read_free (a);
  return text;
}

static void
add_followup (CrmStore        *store,
              CrmContact      *contact,
              const char      *deal_id,
              CrmFollowupKind  kind,
              const char      *happened_at,
              const char      *notes)
{
  g_autoptr (CrmFollowup) followup = crm_followup_new ();
  g_autoptr (GError) error = NULL;

  crm_followup_set_contact_id (followup, crm_contact_get_id (contact));
  crm_followup_set_deal_id (followup, deal_id);
  crm_followup_set_kind (followup, kind);
  crm_followup_set_happened_at (followup, happened_at);
  crm_followup_set_notes (followup, notes);
  if (deal_id != NULL)
    {
      crm_followup_set_next_step (followup, "寄合同");
      crm_followup_set_next_at (followup, "2026-12-01T02:00:00Z");
    }
  crm_store_save_followup (store, followup, CRM_DEAL_N_STAGES, &error);
  g_assert_no_error (error);
}

/* follow-ups of live contacts, newest first, with their contact and deal;
 * a formula guarded; as CSV and as an XLSX sheet */
static void
test_followups (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *deal = crm_test_query_text (f->ts->store,
                                               "SELECT id FROM deals WHERE title = '大单'");
  g_autoptr (CrmContact) gone = crm_test_add (f->ts->store, "王五", "", "");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *xlsx = NULL;
  g_autofree char *book = NULL;
  g_autofree char *sheet = NULL;
  g_auto (GStrv) lines = NULL;

  add_followup (f->ts->store, f->zhang, deal, CRM_FOLLOWUP_VISIT, "2026-11-28T09:30:00Z",
                "=1+1 报价");
  add_followup (f->ts->store, f->li, NULL, CRM_FOLLOWUP_CALL, "2026-11-29T09:30:00Z",
                "电话\n第二行");
  add_followup (f->ts->store, gone, NULL, CRM_FOLLOWUP_OTHER, "2026-11-30T09:30:00Z", "走了");
  crm_store_delete_contact (f->ts->store, gone, &error);
  g_assert_no_error (error);

  path = export_to (f, "f.csv", CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_FOLLOWUPS,
                    CRM_EXPORT_FLAGS_NONE);
  text = read_text (path);
  lines = csv_lines (text);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "Followed up,Contact,Deal,How,Notes,Next step,Next step due,"
                   "Done,Created,Updated,UID,Contact UID,Deal UID");
  g_assert_true (g_str_has_prefix (lines[1], "2026-11-29 09:30:00,李四,,Call,"
                                   "\"电话\n第二行\",,,,"));
  g_assert_nonnull (strstr (lines[1], crm_contact_get_id (f->li)));
  g_assert_true (g_str_has_prefix (lines[2], "2026-11-28 09:30:00,张三,大单,Visit,'=1+1 报价,"
                                   "寄合同,2026-12-01 02:00:00,,"));
  g_assert_true (g_str_has_suffix (lines[2], deal));
  g_assert_cmpstr (lines[3], ==, "");

  xlsx = export_to (f, "f.xlsx", CRM_EXPORT_FORMAT_XLSX, CRM_EXPORT_FOLLOWUPS,
                    CRM_EXPORT_FLAGS_NONE);
  book = zip_member (xlsx, "xl/workbook.xml");
  sheet = zip_member (xlsx, "xl/worksheets/sheet1.xml");
  g_assert_nonnull (strstr (book, "name=\"Follow-ups\""));
  g_assert_nonnull (strstr (sheet, "<t>寄合同</t>"));
  g_assert_nonnull (strstr (sheet, "<t>=1+1 报价</t>"));
  g_assert_null (strstr (sheet, "<f>"));
  g_assert_null (strstr (sheet, "走了"));
}

static void
test_xlsx (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = export_to (f, "all.xlsx", CRM_EXPORT_FORMAT_XLSX, CRM_EXPORT_ALL,
                                     CRM_EXPORT_FLAGS_NONE);
  g_autofree char *book = zip_member (path, "xl/workbook.xml");
  g_autofree char *contacts = zip_member (path, "xl/worksheets/sheet1.xml");
  g_autofree char *deals = zip_member (path, "xl/worksheets/sheet2.xml");
  g_autofree char *styles = zip_member (path, "xl/styles.xml");

  g_assert_nonnull (book);
  g_assert_nonnull (strstr (book, "name=\"Contacts\""));
  g_assert_nonnull (strstr (book, "name=\"Deals\""));
  g_assert_nonnull (contacts);
  /* text as text (inline strings in constant-memory mode), never a formula */
  g_assert_nonnull (strstr (contacts, "<t>张三</t>"));
  g_assert_nonnull (strstr (contacts, "<t>=HYPERLINK("));
  g_assert_null (strstr (contacts, "<f>"));
  /* the mobile number a string, not 1.38E+10 */
  g_assert_nonnull (strstr (contacts, "t=\"inlineStr\"><is><t>13812345678</t>"));
  g_assert_null (strstr (contacts, "<v>13812345678</v>"));
  /* amounts numbers in yuan, with two decimals shown; dates as dates */
  g_assert_nonnull (deals);
  g_assert_nonnull (strstr (deals, "<v>1234567.89</v>"));
  g_assert_nonnull (strstr (deals, "<v>0.05</v>"));
  g_assert_nonnull (strstr (styles, "#,##0.00"));
  g_assert_nonnull (strstr (styles, "yyyy-mm-dd"));
  /* 2026-12-31 is day 46387 of Excel's calendar */
  g_assert_nonnull (strstr (deals, "<v>46387</v>"));
}

static GPtrArray *
parse_cards (const char *text)
{
  GPtrArray *cards = g_ptr_array_new_with_free_func (g_object_unref);
  const char *p = text;
  const char *end;

  while ((p = strstr (p, "BEGIN:VCARD")) != NULL && (end = strstr (p, "END:VCARD")) != NULL)
    {
      g_autofree char *one = g_strndup (p, end + strlen ("END:VCARD") - p);

      g_ptr_array_add (cards, e_vcard_new_from_string (one));
      p = end + strlen ("END:VCARD");
    }
  return cards;
}

static const char *
card_value (EVCard     *card,
            const char *name)
{
  EVCardAttribute *attr = e_vcard_get_attribute (card, name);

  return attr != NULL ? e_vcard_attribute_get_value (attr) : NULL;
}

static void
check_vcard (Fixture   *f,
             gboolean   version_4)
{
  g_autofree char *path = export_to (f, "c.vcf", version_4 ? CRM_EXPORT_FORMAT_VCARD
                                                            : CRM_EXPORT_FORMAT_VCARD_30,
                                     CRM_EXPORT_CONTACTS, CRM_EXPORT_FLAGS_NONE);
  g_autofree char *text = read_text (path);
  g_autoptr (GPtrArray) cards = parse_cards (text);
  EVCard *zhang = NULL;
  g_autofree char *note = NULL;
  g_autofree char *org = NULL;
  GList *tels;

  g_assert_cmpuint (cards->len, ==, 2);
  g_assert_nonnull (strstr (text, version_4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n"));
  g_assert_null (strstr (text, version_4 ? "VERSION:3.0" : "VERSION:4.0"));
  for (guint i = 0; i < cards->len; i++)
    if (g_strcmp0 (card_value (cards->pdata[i], EVC_FN), "张三") == 0)
      zhang = cards->pdata[i];
  g_assert_nonnull (zhang);
  g_assert_cmpstr (card_value (zhang, EVC_UID), ==, crm_contact_get_id (f->zhang));
  note = g_strdup (card_value (zhang, EVC_NOTE));
  g_assert_cmpstr (note, ==, "He said \"hi\", then\nleft");
  org = g_strdup (card_value (zhang, EVC_ORG));
  g_assert_cmpstr (org, ==, "=HYPERLINK(\"http://evil\")");
  g_assert_cmpstr (card_value (zhang, EVC_EMAIL), ==, "zhang@example.com");
  g_assert_cmpstr (card_value (zhang, "X-WECHAT"), ==, NULL);
  tels = e_vcard_attribute_get_values (e_vcard_get_attribute (zhang, EVC_TEL));
  g_assert_cmpstr (tels->data, ==, "13812345678");
  g_assert_true (e_vcard_attribute_has_type (e_vcard_get_attribute (zhang, EVC_TEL),
                                             "CELL"));
  {
    GList *cats = e_vcard_attribute_get_values (e_vcard_get_attribute (zhang,
                                                                       EVC_CATEGORIES));
    g_assert_cmpuint (g_list_length (cats), ==, 2);
    g_assert_cmpstr (cats->data, ==, "@vip");
    g_assert_cmpstr (cats->next->data, ==, "重点");
  }
  {
    GList *adr = e_vcard_attribute_get_values (e_vcard_get_attribute (zhang, EVC_ADR));
    g_assert_cmpstr (g_list_nth_data (adr, 2), ==, "北京市海淀区中关村大街1号");
  }
  g_assert_true (g_regex_match_simple (version_4 ? "^\\d{8}T\\d{6}Z$"
                                                 : "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
                                       card_value (zhang, EVC_REV), 0, 0));
}

static void
test_vcard_4 (Fixture       *f,
              gconstpointer  data)
{
  check_vcard (f, TRUE);
}

static void
test_vcard_3 (Fixture       *f,
              gconstpointer  data)
{
  check_vcard (f, FALSE);
}

static void
test_vcard_deals_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->out, "d.vcf", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_false (crm_export (f->ts->store, file, CRM_EXPORT_FORMAT_VCARD, CRM_EXPORT_DEALS,
                              0, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FAILED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
cancel_at_first (guint    done,
                 guint    total,
                 gpointer data)
{
  g_cancellable_cancel (data);
}

/* a cancelled export leaves no file, and an older file as it was */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const CrmExportFormat formats[] = { CRM_EXPORT_FORMAT_CSV, CRM_EXPORT_FORMAT_XLSX,
                                      CRM_EXPORT_FORMAT_VCARD };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (f->out, "old.file", NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      g_autoptr (GDir) dir = NULL;
      guint n = 0;

      g_file_set_contents (path, "old", -1, &error);
      g_assert_no_error (error);
      /* 300 contacts: the second progress call (row 256) sees the cancel */
      if (i == 0)
        for (guint j = 0; j < 300; j++)
          {
            g_autofree char *name = g_strdup_printf ("客户%u", j);
            g_autoptr (CrmContact) c = crm_test_add (f->ts->store, name, NULL, NULL);
          }
      g_assert_false (crm_export (f->ts->store, file, formats[i], CRM_EXPORT_CONTACTS, 0,
                                  cancel_at_first, cancellable, cancellable, &error));
      g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_CANCELLED);
      text = read_text (path);
      g_assert_cmpstr (text, ==, "old");
      dir = g_dir_open (f->out, 0, NULL);
      while (g_dir_read_name (dir) != NULL)
        n++;
      g_assert_cmpuint (n, ==, 1);   /* no temporary file left behind */
    }
}

static void
test_format_from_name (void)
{
  CrmExportFormat format = -1;

  g_assert_true (crm_export_format_from_name ("客户.XLSX", &format));
  g_assert_cmpint (format, ==, CRM_EXPORT_FORMAT_XLSX);
  g_assert_true (crm_export_format_from_name ("a.b.csv", &format));
  g_assert_cmpint (format, ==, CRM_EXPORT_FORMAT_CSV);
  g_assert_true (crm_export_format_from_name ("vcf", &format));
  g_assert_cmpint (format, ==, CRM_EXPORT_FORMAT_VCARD);
  g_assert_false (crm_export_format_from_name ("notes.txt", &format));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("XIAOHE_CRM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* g_dgettext() decides once whether to translate at all: with the
   * catalogue found, so that /export/csv/chinese can switch to it */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Cancelled"), ==, "已取消");
  g_setenv ("LANGUAGE", "en", TRUE);
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/money", test_money);
  g_test_add_func ("/export/guard", test_guard);
  g_test_add_func ("/export/format-from-name", test_format_from_name);
  g_test_add_func ("/export/cli", test_cli);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/csv/bytes", test_csv_bytes);
  ADD ("/export/csv/no-bom", test_csv_no_bom);
  ADD ("/export/csv/deals", test_csv_deals);
  ADD ("/export/csv/all", test_csv_all);
  ADD ("/export/csv/chinese", test_csv_chinese);
  ADD ("/export/xlsx", test_xlsx);
  ADD ("/export/followups", test_followups);
  ADD ("/export/read-back", test_read_back);
  ADD ("/export/vcard/4.0", test_vcard_4);
  ADD ("/export/vcard/3.0", test_vcard_3);
  ADD ("/export/vcard/no-deals", test_vcard_deals_refused);
  ADD ("/export/cancel", test_cancel);
#undef ADD
  return g_test_run ();
}
