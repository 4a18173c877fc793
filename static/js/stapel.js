// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The language form submits itself on change; its button stays for visitors without JavaScript.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    const form = select.form;
    const button = form.querySelector("[data-autosubmit-button]");
    if (button) {
      button.hidden = true;
    }
    select.addEventListener("change", () => form.requestSubmit());
  }
});
