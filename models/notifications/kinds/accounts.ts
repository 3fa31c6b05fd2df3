import { eq } from "drizzle-orm";
import { stations, type NotificationKind } from "../../db/schema";
import type { Locale } from "../recipients";
import { layout, type Renderer } from "../render";

/**
 * Registration's mails (models/registration.ts). The registration form answers the same for a
 * new and a taken address, so it is these mails, read only by the address's owner, that say
 * which it was. They carry no personal data beyond the greeting.
 */
type AccountKind = "account_welcome" | "account_exists";

const TEXTS: Record<Locale, Record<AccountKind, { subject: string; lead: string; extra: string[] }> & { signIn: string }> = {
  "zh-CN": {
    account_welcome: {
      subject: "欢迎注册家庭健康驿站",
      lead: "您的账号已经建好。请用这个邮箱和您设的密码登录，就可以报名参加活动。",
      extra: [],
    },
    account_exists: {
      subject: "有人用您的邮箱注册家庭健康驿站",
      lead: "刚才有人用这个邮箱注册，但这个邮箱已经有账号了，所以没有新建账号。",
      extra: ["如果是您本人，请直接用原来的密码登录；忘记密码请联系驿站工作人员。", "如果不是您，可以不用理会这封邮件。"],
    },
    signIn: "登录",
  },
  en: {
    account_welcome: {
      subject: "Welcome to the family health station",
      lead: "Your account is ready. Sign in with this email and the password you chose to book activities.",
      extra: [],
    },
    account_exists: {
      subject: "Someone tried to register with your email",
      lead: "Someone just tried to register with this email, which already has an account, so no new account was made.",
      extra: [
        "If it was you, sign in with your existing password; if you forgot it, ask the station's staff.",
        "If it was not you, you can ignore this mail.",
      ],
    },
    signIn: "Sign in",
  },
};

function renderer(kind: AccountKind): Renderer {
  return async (ctx) => {
    const [station] = await ctx.db
      .select({ nameZh: stations.nameZh, nameEn: stations.nameEn })
      .from(stations)
      .where(eq(stations.id, ctx.row.stationId));
    if (!station) return { skip: "no_station" };
    const locale = ctx.recipient.locale;
    const texts = TEXTS[locale];
    const body = layout({
      recipient: ctx.recipient,
      lead: texts[kind].lead,
      extra: texts[kind].extra,
      facts: [],
      link: { label: texts.signIn, url: `${ctx.settings.publicUrl}/login` },
      unsubscribeUrl: ctx.unsubscribeUrl,
      stationName: locale === "en" ? station.nameEn : station.nameZh,
    });
    return { mail: { subject: texts[kind].subject, ...body } };
  };
}

export const renderers: Partial<Record<NotificationKind, Renderer>> = {
  account_welcome: renderer("account_welcome"),
  account_exists: renderer("account_exists"),
};
