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

  // A code block that scrolls sideways can be scrolled from the keyboard too.
  for (const pre of document.querySelectorAll("pre")) {
    pre.tabIndex = 0;
  }

  // The inbox count in the header is read again when the visitor comes back to the tab
  // (one small request then, never on a timer).
  const inbox = document.querySelector("[data-unread-url]");
  if (inbox) {
    const badge = inbox.querySelector("[data-unread-count]");
    document.addEventListener("visibilitychange", async () => {
      if (document.visibilityState !== "visible") {
        return;
      }
      try {
        const response = await fetch(inbox.dataset.unreadUrl, { headers: { Accept: "application/json" } });
        if (!response.ok) {
          return;
        }
        const { unread } = await response.json();
        badge.firstChild.textContent = unread > 99 ? "99+" : String(unread);
        badge.hidden = unread === 0;
      } catch {
        // Offline: the count stays as it was.
      }
    });
  }
});
