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

  // "Show N more comments" is a link that reloads the page with them; here it opens
  // them in place and moves the focus to the first one.
  for (const link of document.querySelectorAll("[data-show-comments]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const comments = [...document.getElementById(link.dataset.showComments).querySelectorAll(".comment[hidden]")];
      for (const comment of comments) {
        comment.hidden = false;
      }
      link.remove();
      if (comments.length) {
        comments[0].tabIndex = -1;
        comments[0].focus();
      }
    });
  }
});
