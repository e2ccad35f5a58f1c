/* CKAN's client turns the page's language tag back into a locale with `replace('-', '_')`,
 * which replaces only the first hyphen: <html lang="zh-Hans-CN"> asks for
 * /api/i18n/zh_Hans-CN, CKAN answers 400 "Unknown locale" and starts no JavaScript module at
 * all. Every hyphen is replaced here, so the Chinese pages load zh_Hans_CN's strings. Loaded
 * after base/main (which defines ckan.Client) and before the page is ready (when ckan.initialize
 * asks for the strings). */
(function (ckan) {
  var getLocaleData = ckan.Client.prototype.getLocaleData;
  ckan.Client.prototype.getLocaleData = function (locale, success, error) {
    return getLocaleData.call(this, (locale || '').replace(/-/g, '_'), success, error);
  };
})(this.ckan);
