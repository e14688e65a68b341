/* crm-test-proxy.h — a TCP relay between a client and a test server that
 * can cut the connection at the moment the server's answer starts: the
 * server has done the work, the client never hears of it
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CrmTestProxy CrmTestProxy;

/* relays 127.0.0.1:(a free port) to @target_url's host and port */
CrmTestProxy *crm_test_proxy_new          (const char   *target_url);
/* "http://127.0.0.1:PORT" */
const char   *crm_test_proxy_get_url      (CrmTestProxy *self);
/* the next @n answers whose request line starts with @request_prefix
 * ("POST /v1/sync/push") are dropped: the connection is closed when the
 * server's first byte arrives */
void          crm_test_proxy_drop_answers (CrmTestProxy *self,
                                           const char   *request_prefix,
                                           guint         n);
guint         crm_test_proxy_get_dropped  (CrmTestProxy *self);
void          crm_test_proxy_free         (CrmTestProxy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestProxy, crm_test_proxy_free)

G_END_DECLS
