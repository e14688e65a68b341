/* crm-gen.c — a deterministic generator of realistic contacts
 *
 * Copyright 2026 Xiaohe CRM developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chinese names with surnames weighted by how common they are, given names
 * of one or two characters; a fifth of the names Latin; companies from a
 * city, a trade word and a company form; mainland mobiles, some landlines,
 * e-mail addresses at the common Chinese providers or the company's domain,
 * WeChat IDs. The same seed gives the same contacts.
 */
#include "config.h"

#include "crm-gen.h"

struct _CrmGen
{
  GRand   *rand;
  guint    serial;
};

/* the most common surnames, with rough shares in per mille */
static const struct { const char *name; const char *pinyin; guint weight; } surnames[] = {
  { "王", "wang", 72 }, { "李", "li", 72 }, { "张", "zhang", 68 }, { "刘", "liu", 54 },
  { "陈", "chen", 45 }, { "杨", "yang", 32 }, { "黄", "huang", 23 }, { "赵", "zhao", 22 },
  { "吴", "wu", 20 }, { "周", "zhou", 19 }, { "徐", "xu", 16 }, { "孙", "sun", 15 },
  { "马", "ma", 15 }, { "朱", "zhu", 14 }, { "胡", "hu", 13 }, { "郭", "guo", 12 },
  { "何", "he", 12 }, { "林", "lin", 11 }, { "高", "gao", 11 }, { "罗", "luo", 10 },
  { "郑", "zheng", 10 }, { "梁", "liang", 9 }, { "谢", "xie", 8 }, { "宋", "song", 7 },
  { "唐", "tang", 7 }, { "许", "xu", 7 }, { "韩", "han", 7 }, { "冯", "feng", 7 },
  { "邓", "deng", 7 }, { "曹", "cao", 6 }, { "彭", "peng", 6 }, { "曾", "zeng", 6 },
  { "肖", "xiao", 6 }, { "田", "tian", 5 }, { "董", "dong", 5 }, { "袁", "yuan", 5 },
  { "潘", "pan", 5 }, { "于", "yu", 5 }, { "蒋", "jiang", 5 }, { "蔡", "cai", 5 },
  { "余", "yu", 5 }, { "杜", "du", 4 }, { "叶", "ye", 4 }, { "程", "cheng", 4 },
  { "苏", "su", 4 }, { "魏", "wei", 4 }, { "吕", "lv", 4 }, { "丁", "ding", 4 },
  { "任", "ren", 4 }, { "沈", "shen", 4 }, { "欧阳", "ouyang", 1 }, { "司马", "sima", 1 },
};

static const struct { const char *ch; const char *pinyin; } given[] = {
  { "伟", "wei" }, { "芳", "fang" }, { "娜", "na" }, { "敏", "min" }, { "静", "jing" },
  { "丽", "li" }, { "强", "qiang" }, { "磊", "lei" }, { "军", "jun" }, { "洋", "yang" },
  { "勇", "yong" }, { "艳", "yan" }, { "杰", "jie" }, { "娟", "juan" }, { "涛", "tao" },
  { "明", "ming" }, { "超", "chao" }, { "秀", "xiu" }, { "霞", "xia" }, { "平", "ping" },
  { "刚", "gang" }, { "桂", "gui" }, { "英", "ying" }, { "华", "hua" }, { "建", "jian" },
  { "文", "wen" }, { "辉", "hui" }, { "玲", "ling" }, { "鹏", "peng" }, { "飞", "fei" },
  { "斌", "bin" }, { "宇", "yu" }, { "浩", "hao" }, { "凯", "kai" }, { "健", "jian" },
  { "俊", "jun" }, { "帆", "fan" }, { "亮", "liang" }, { "红", "hong" }, { "梅", "mei" },
  { "琳", "lin" }, { "雪", "xue" }, { "婷", "ting" }, { "欣", "xin" }, { "怡", "yi" },
  { "佳", "jia" }, { "嘉", "jia" }, { "思", "si" }, { "晨", "chen" }, { "子", "zi" },
  { "一", "yi" }, { "国", "guo" }, { "海", "hai" }, { "春", "chun" }, { "东", "dong" },
  { "志", "zhi" }, { "新", "xin" }, { "光", "guang" }, { "天", "tian" }, { "云", "yun" },
  { "三", "san" }, { "丰", "feng" }, { "宏", "hong" }, { "振", "zhen" }, { "德", "de" },
  { "成", "cheng" }, { "安", "an" }, { "欢", "huan" }, { "乐", "le" }, { "美", "mei" },
};

static const char *latin_first[] = {
  "John", "Mary", "David", "Sarah", "Michael", "Anna", "James", "Linda", "Peter", "Emma",
  "Kevin", "Grace", "Tony", "Lucy", "Eric", "Helen", "Jason", "Amy", "Frank", "Vivian",
};
static const char *latin_last[] = {
  "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Clark", "Lewis", "Walker", "Hall",
  "Wang", "Li", "Zhang", "Chen", "Liu", "Lee", "Wong", "Chan", "Ng", "Tan",
};

static const struct { const char *name; const char *pinyin; const char *area; } cities[] = {
  { "北京", "bj", "010" }, { "上海", "sh", "021" }, { "广州", "gz", "020" },
  { "深圳", "sz", "0755" }, { "杭州", "hz", "0571" }, { "成都", "cd", "028" },
  { "武汉", "wh", "027" }, { "南京", "nj", "025" }, { "西安", "xa", "029" },
  { "苏州", "su", "0512" }, { "天津", "tj", "022" }, { "重庆", "cq", "023" },
  { "厦门", "xm", "0592" }, { "青岛", "qd", "0532" }, { "长沙", "cs", "0731" },
};
static const struct { const char *name; const char *pinyin; } trades[] = {
  { "华信", "huaxin" }, { "鼎盛", "dingsheng" }, { "恒通", "hengtong" }, { "瑞丰", "ruifeng" },
  { "宏达", "hongda" }, { "金桥", "jinqiao" }, { "远航", "yuanhang" }, { "博雅", "boya" },
  { "新航", "xinhang" }, { "天成", "tiancheng" }, { "永安", "yongan" }, { "东方", "dongfang" },
  { "盛世", "shengshi" }, { "中科", "zhongke" }, { "万达", "wanda" }, { "嘉禾", "jiahe" },
};
static const char *forms[] = {
  "科技有限公司", "贸易有限公司", "电子有限公司", "网络科技有限公司", "实业有限公司",
  "物流有限公司", "信息技术有限公司", "进出口有限公司",
};
static const char *titles[] = {
  "总经理", "销售经理", "采购经理", "技术总监", "财务", "董事长", "市场专员", "客户经理",
  "Sales Manager", "Purchasing", "", "",
};
static const char *mail_domains[] = { "qq.com", "163.com", "126.com", "gmail.com", "sina.com" };

CrmGen *
crm_gen_new (guint32 seed)
{
  CrmGen *gen = g_new0 (CrmGen, 1);
  gen->rand = g_rand_new_with_seed (seed);
  return gen;
}

void
crm_gen_free (CrmGen *gen)
{
  g_rand_free (gen->rand);
  g_free (gen);
}

gint32
crm_gen_int (CrmGen *gen,
             gint32  begin,
             gint32  end)
{
  return g_rand_int_range (gen->rand, begin, end);
}

static guint
pick_surname (CrmGen *gen)
{
  static guint total;
  guint r;

  if (total == 0)
    for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
      total += surnames[i].weight;
  r = g_rand_int_range (gen->rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    {
      if (r < surnames[i].weight)
        return i;
      r -= surnames[i].weight;
    }
  return 0;
}

#define PICK(gen, array) (array[g_rand_int_range ((gen)->rand, 0, G_N_ELEMENTS (array))])

CrmContact *
crm_gen_contact (CrmGen *gen)
{
  CrmContact *contact = crm_contact_new ();
  g_autofree char *name = NULL;
  g_autofree char *pinyin = NULL;
  g_autofree char *company = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *email = NULL;
  guint city = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (cities));
  guint trade = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (trades));
  static const char *prefixes[] = { "13", "15", "18", "17", "19", "16", "14" };

  gen->serial++;

  if (g_rand_int_range (gen->rand, 0, 5) == 0)
    {
      const char *first = PICK (gen, latin_first);
      const char *last = PICK (gen, latin_last);
      name = g_strdup_printf ("%s %s", first, last);
      pinyin = g_ascii_strdown (first, -1);
    }
  else
    {
      guint s = pick_surname (gen);
      guint g1 = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (given));
      if (g_rand_int_range (gen->rand, 0, 3) == 0)
        {
          name = g_strconcat (surnames[s].name, given[g1].ch, NULL);
          pinyin = g_strconcat (surnames[s].pinyin, given[g1].pinyin, NULL);
        }
      else
        {
          guint g2 = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (given));
          name = g_strconcat (surnames[s].name, given[g1].ch, given[g2].ch, NULL);
          pinyin = g_strconcat (surnames[s].pinyin, given[g1].pinyin, given[g2].pinyin, NULL);
        }
    }

  if (g_rand_int_range (gen->rand, 0, 10) == 0)
    {
      company = g_strdup_printf ("%s %s Ltd.", cities[city].pinyin, trades[trade].pinyin);
      company[0] = g_ascii_toupper (company[0]);
    }
  else
    company = g_strconcat (cities[city].name, trades[trade].name, PICK (gen, forms), NULL);
  domain = g_strdup_printf ("%s%s.com", trades[trade].pinyin, cities[city].pinyin);

  mobile = g_strdup_printf ("%s%d%08d", PICK (gen, prefixes), g_rand_int_range (gen->rand, 0, 10),
                            g_rand_int_range (gen->rand, 0, 100000000));
  if (g_rand_int_range (gen->rand, 0, 3) == 0)
    email = g_strdup_printf ("%s@%s", pinyin, domain);
  else
    email = g_strdup_printf ("%s%u@%s", pinyin, gen->serial % 1000, PICK (gen, mail_domains));

  crm_contact_set_field (contact, CRM_CONTACT_FIELD_NAME, name);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_COMPANY, company);
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_TITLE, PICK (gen, titles));
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_MOBILE, mobile);
  if (g_rand_int_range (gen->rand, 0, 4) == 0)
    {
      g_autofree char *phone = g_strdup_printf ("%s-%d%07d", cities[city].area,
                                                g_rand_int_range (gen->rand, 2, 9),
                                                g_rand_int_range (gen->rand, 0, 10000000));
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_PHONE, phone);
    }
  crm_contact_set_field (contact, CRM_CONTACT_FIELD_EMAIL, email);
  if (g_rand_int_range (gen->rand, 0, 2) == 0)
    {
      g_autofree char *wechat = g_strdup_printf ("%s_%u", pinyin,
                                                 g_rand_int_range (gen->rand, 1, 10000));
      crm_contact_set_field (contact, CRM_CONTACT_FIELD_WECHAT, wechat);
    }
  return contact;
}

GPtrArray *
crm_gen_batch (CrmGen *gen,
               guint   n)
{
  GPtrArray *batch = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (batch, crm_gen_contact (gen));
  return batch;
}
