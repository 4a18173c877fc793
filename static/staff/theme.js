"use strict";
// The staff admin (/admin/) in the theme the visitor chose on the site (core/themes.py:
// the stapel_theme cookie, which the server writes into this script's data-theme), from
// the first paint: a blocking script in <head> sets <html data-theme> before the body is
// drawn. It takes the place of Django's admin/js/theme.js, which keeps its own choice in
// the browser's localStorage. Django's toggle cycles the theme as it does there and tells
// the site (a POST to its theme switch), so the site and the admin keep one choice.
{
  const script = document.currentScript;
  const THEMES = ["auto", "light", "dark"];

  function apply(theme) {
    document.documentElement.dataset.theme = THEMES.includes(theme) ? theme : "auto";
  }

  function next(theme) {
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const order = dark
      ? { auto: "light", light: "dark", dark: "auto" }
      : { auto: "dark", dark: "light", light: "auto" };
    return order[theme] || "auto";
  }

  function remember(theme) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) return;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append("theme", theme);
    // The switch answers with a redirect, which sets the cookie; nothing to follow.
    fetch(script.dataset.url, { method: "POST", body, credentials: "same-origin", redirect: "manual" });
  }

  apply(script.dataset.theme);

  window.addEventListener("load", () => {
    for (const button of document.getElementsByClassName("theme-toggle")) {
      button.addEventListener("click", () => {
        const theme = next(document.documentElement.dataset.theme);
        apply(theme);
        remember(theme);
      });
    }
  });
}
