/* test-io-vcard.c — vCards 2.1, 3.0 and 4.0 read as a table of contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cards are written by the test as phones and address books export
 * them: 2.1 with quoted-printable and CHARSET= (UTF-8 and GBK), bare
 * "TEL;CELL:", a base64 photo on unindented lines; 3.0 with folded lines
 * and a folded photo; 4.0 with tel: URIs and Apple's WeChat IMPP; a whole
 * file in GBK; text between the cards.
 */
#include "config.h"

#include <string.h>

#include "crm-io.h"
#include "crm-table.h"
#include "test-io-util.h"

static char *tmp_dir;

#define CARD_21 \
  "BEGIN:VCARD\r\n" \
  "VERSION:2.1\r\n" \
  "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\n" \
  "TEL;CELL:138 1234 5678\r\n" \
  "TEL;WORK;VOICE:010-62345678\r\n" \
  "TEL;HOME:010-88886666\r\n" \
  "NOTE;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=C0=CF=BF=CD=BB=A7=\r\n" \
  "=A3=AC=D2=AA=BB=D8=B7=C3\r\n" \
  "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n" \
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n" \
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\r\n" \
  "\r\n" \
  "EMAIL;INTERNET:zhang@example.com\r\n" \
  "END:VCARD\r\n"

#define CARD_30 \
  "BEGIN:VCARD\n" \
  "VERSION:3.0\n" \
  "FN:李\n" \
  " 四\n" \
  "N:李;四;;;\n" \
  "ORG:小禾科技;销售部\n" \
  "TITLE:经理\n" \
  "TEL;TYPE=CELL,VOICE:13900001111\n" \
  "EMAIL;TYPE=INTERNET,WORK:li@example.com\n" \
  "EMAIL;TYPE=INTERNET,HOME:li@home.example\n" \
  "ADR;TYPE=WORK:;;中关村大街1号;海淀区;北京市;100080;中国\n" \
  "CATEGORIES:VIP,老客户\n" \
  "X-WECHAT:li_si_88\n" \
  "NOTE:a long note folded over\n" \
  "  two lines\n" \
  "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\n" \
  " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n" \
  " AAAAAAAAAAAAAAAAAAAAAAA==\n" \
  "UID:li-si-uid\n" \
  "END:VCARD\n"

#define CARD_40 \
  "BEGIN:VCARD\r\n" \
  "VERSION:4.0\r\n" \
  "N:Smith;John;Q.;Dr.;Jr.\r\n" \
  "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+86-139-0000-2222\r\n" \
  "ADR;TYPE=home:;;1 Main St;Springfield;IL;62701;USA\r\n" \
  "IMPP;X-SERVICE-TYPE=WeChat;TYPE=pref:x-apple:johnwx\r\n" \
  "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n" \
  "END:VCARD\r\n"

static void
test_vcard_versions (void)
{
  const char *text = "exported by a phone\r\n" CARD_21 "\r\n" CARD_30 "junk line\n" CARD_40;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "cards.vcf", text, strlen (text),
                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_VCARD);
  g_assert_cmpuint (table->rows->len, ==, 4);
  test_io_assert_row (table, 0,
              "Name|Company|Title|Mobile|Phone|E-mail|WeChat|Address|Tags|Notes|UID", 0);
  /* extra numbers are kept in the notes; the photo is left out */
  test_io_assert_row (table, 1,
              "张三|||138 1234 5678|010-62345678|zhang@example.com||||老客户，要回访\n"
              "TEL: 010-88886666|", 1);
  test_io_assert_row (table, 2,
              "李四|小禾科技 销售部|经理|13900001111||li@example.com|li_si_88|"
              "中国北京市海淀区中关村大街1号 100080|VIP, 老客户|a long note folded over two "
              "lines\nEMAIL: li@home.example|li-si-uid", 2);
  test_io_assert_row (table, 3,
              "Dr. John Q. Smith Jr.|||+86-139-0000-2222|||johnwx|"
              "1 Main St, Springfield, IL 62701, USA|||"
              "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", 3);
}

/* Cards in GBK, as old Chinese phones write them, after one in UTF-8 (two
 * exports put together), named .txt: each card is decoded on its own */
static void
test_vcard_gbk (void)
{
  const char *utf8_card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nEND:VCARD\r\n";
  const char *gbk_card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=GBK:王;五\r\n"
                         "TEL;CELL:13700001234\r\nEND:VCARD\r\n";
  gsize length = 0;
  g_autofree char *gbk = g_convert (gbk_card, -1, "GBK", "UTF-8", NULL, &length, NULL);
  g_autofree char *text = g_strconcat (utf8_card, gbk, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;

  table = test_io_read_file (tmp_dir, "contacts.txt", text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_VCARD);
  g_assert_cmpstr (table->encoding, ==, "GB18030");
  g_assert_cmpuint (table->rows->len, ==, 3);
  test_io_assert_row (table, 0, "Name|Mobile", 0);
  test_io_assert_row (table, 1, "李四|", 1);
  test_io_assert_row (table, 2, "王五|13700001234", 2);
}

/* UTF-16 with its BOM, as Windows' Contacts writes it */
static void
test_vcard_utf16 (void)
{
  const char *utf8 = "\xef\xbb\xbf" "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:赵六\r\nEND:VCARD\r\n";
  gsize length = 0;
  g_autofree char *utf16 = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &length, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;

  /* the BOM, converted, is FF FE */
  table = test_io_read_file (tmp_dir, "utf16.vcf", utf16, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (table->format, ==, CRM_TABLE_FORMAT_VCARD);
  g_assert_cmpstr (table->encoding, ==, "UTF-16LE");
  test_io_assert_row (table, 0, "Name", 0);
  test_io_assert_row (table, 1, "赵六", 1);
}

/* Cards without a field the CRM keeps still count: the rows line up with
 * the cards, numbered as in the file */
static void
test_vcard_sparse (void)
{
  const char *text = "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nFN:Only Name\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@example.com\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "sparse.vcf", text, strlen (text),
                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 4);
  test_io_assert_row (table, 0, "Name|E-mail", 0);
  test_io_assert_row (table, 1, "|", 1);
  test_io_assert_row (table, 2, "Only Name|", 2);
  /* the last card has no END:VCARD: kept */
  test_io_assert_row (table, 3, "|x@example.com", 3);
}

/* 2.1's AGENT holds a card inside a card: the outer card is one row, with
 * its own fields only */
static void
test_vcard_nested (void)
{
  const char *text = "BEGIN:VCARD\nVERSION:2.1\nAGENT:\nBEGIN:VCARD\nFN:Assistant\n"
                     "TEL;CELL:111\nEND:VCARD\nFN:Boss\nEND:VCARD\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = test_io_read_file (tmp_dir, "nested.vcf", text, strlen (text),
                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 2);
  test_io_assert_row (table, 0, "Name", 0);
  test_io_assert_row (table, 1, "Boss", 1);
}

static void
test_vcard_refused (void)
{
  const char *no_card = "VERSION:3.0\nFN:nobody\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTable) table = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new_static (no_card, strlen (no_card));

  table = crm_table_read_bytes (bytes, CRM_TABLE_FORMAT_VCARD, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, CRM_IO_ERROR, CRM_IO_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==, "The file holds no vCard (no BEGIN:VCARD line)");
}

int
main (int   argc,
      char *argv[])
{
  tmp_dir = test_io_init (&argc, &argv);

  g_test_add_func ("/io/vcard/versions", test_vcard_versions);
  g_test_add_func ("/io/vcard/gbk", test_vcard_gbk);
  g_test_add_func ("/io/vcard/utf16", test_vcard_utf16);
  g_test_add_func ("/io/vcard/sparse", test_vcard_sparse);
  g_test_add_func ("/io/vcard/nested", test_vcard_nested);
  g_test_add_func ("/io/vcard/refused", test_vcard_refused);

  return test_io_run (tmp_dir);
}
