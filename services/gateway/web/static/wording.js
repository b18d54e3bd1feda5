// Numbers, percents, dates and plural forms in the page's language, written by the browser's Intl (the same CLDR
// data Babel gives the server's pages and the certificates): «87,5 %» (a non-breaking space), «4 декабря 2026 г.»,
// «1 вопрос, 2 вопроса, 5 вопросов». Never by hand.
window.GramotaWording = function (lang) {
  "use strict";
  const locale = lang === "en" ? "en-GB" : "ru-RU";
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" });
  const moment = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
  const rules = new Intl.PluralRules(locale);
  return {
    locale,
    number: (v) => num.format(v),
    percent: (v) => pct.format(v / 100),            // v is a percentage, 0..100
    share: (v) => pct.format(v),                    // v is a share, 0..1
    date: (iso) => day.format(new Date(iso)),
    dateTime: (iso) => moment.format(new Date(iso)),
    // forms: {one, few, many, other}; the category CLDR's rules choose for n
    counted: (n, forms) => `${num.format(n)}\u00a0${forms[rules.select(n)] || forms.other}`,
  };
};
