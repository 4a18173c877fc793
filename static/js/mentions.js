// @mentions in comment boxes: while "@name" is typed, a list under the box offers the
// people a comment on that post may mention (the server says who: the post's author, its
// commenters and editors). Progressive enhancement only: without this file a mention is
// typed by hand and works the same.
"use strict";

(() => {
  const SUGGEST_DELAY = 150;
  // What may follow the @ of a mention (core.markdown.MENTION on the server).
  const WORD_CHARACTER = /[\p{L}\p{N}_.-]/u;
  const BEFORE_MENTION = /[\p{L}\p{N}_@]/u;

  // The "@word" that ends at the caret, if the caret is in one: where its @ is, and the
  // letters typed after it so far.
  function mentionAtCaret(textarea) {
    const value = textarea.value;
    const caret = textarea.selectionStart;
    if (caret === null || caret !== textarea.selectionEnd) {
      return null;
    }
    let start = caret;
    while (start > 0 && WORD_CHARACTER.test(value[start - 1])) {
      start -= 1;
    }
    const at = start - 1;
    if (at < 0 || value[at] !== "@" || (at > 0 && BEFORE_MENTION.test(value[at - 1]))) {
      return null;
    }
    const typed = value.slice(start, caret);
    if (typed && !/^[\p{L}\p{N}]/u.test(typed)) {
      return null;
    }
    let end = caret;
    while (end < value.length && WORD_CHARACTER.test(value[end])) {
      end += 1;
    }
    return { at, end, typed };
  }

  function mentionSuggestions(form) {
    const textarea = form.querySelector("textarea");
    if (!textarea || !textarea.id) {
      return;
    }
    const url = form.dataset.mentionUrl;
    const list = document.createElement("ul");
    list.id = `${textarea.id}-mentions`;
    // The tag field's suggestion list looks the same (static/css/forms.css).
    list.className = "tag-suggestions mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.mentionLabel || "");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    const box = document.createElement("div");
    box.className = "tag-combobox";
    textarea.before(box);
    box.append(textarea, list, status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-haspopup", "listbox");
    textarea.setAttribute("aria-controls", list.id);
    // No aria-expanded: a textarea is a textbox, which has no such state (only a combobox
    // has, and a textarea may not be one); the status line says when names are offered.

    const known = new Map();
    let controller = null;
    let active = -1;
    // The @ whose list was closed with Escape: it stays closed while that mention is typed.
    let dismissedAt = null;

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      textarea.removeAttribute("aria-activedescendant");
      status.textContent = "";
      active = -1;
    };

    const choose = (word) => {
      const mention = mentionAtCaret(textarea);
      if (!mention) {
        close();
        return;
      }
      const value = textarea.value;
      const rest = value.slice(mention.end);
      const space = rest.startsWith(" ") ? "" : " ";
      textarea.value = `${value.slice(0, mention.at)}@${word}${space}${rest}`;
      const caret = mention.at + word.length + 2;
      textarea.setSelectionRange(caret, caret);
      close();
      // Lets whatever keeps the form's text (drafts) see the change.
      form.dispatchEvent(new Event("input"));
    };

    const highlight = (index) => {
      const options = [...list.children];
      active = (index + options.length) % options.length;
      options.forEach((option, position) => option.setAttribute("aria-selected", String(position === active)));
      textarea.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    };

    const show = (names) => {
      if (names.length === 0) {
        close();
        return;
      }
      const wasOpen = !list.hidden;
      list.replaceChildren(
        ...names.map((person, index) => {
          const option = document.createElement("li");
          option.id = `${list.id}-${index}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.dataset.word = person.word;
          const name = document.createElement("span");
          name.textContent = person.name;
          const word = document.createElement("span");
          word.className = "tag-suggestion-count";
          word.textContent = `@${person.word}`;
          option.append(name, " ", word);
          // mousedown, not click: the box keeps its focus, so the list is not closed first.
          option.addEventListener("mousedown", (event) => {
            event.preventDefault();
            choose(person.word);
          });
          return option;
        }),
      );
      list.hidden = false;
      highlight(0);
      if (!wasOpen) {
        status.textContent = form.dataset.mentionStatus || "";
      }
    };

    const fetchNames = async (typed) => {
      if (known.has(typed)) {
        return known.get(typed);
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(typed)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) {
          return null;
        }
        const { names } = await response.json();
        known.set(typed, names);
        return names;
      } catch {
        // Aborted by a newer request, or offline: no list this time.
        return null;
      }
    };

    const suggest = async () => {
      const mention = mentionAtCaret(textarea);
      if (!mention) {
        dismissedAt = null;
        close();
        return;
      }
      if (mention.at === dismissedAt) {
        close();
        return;
      }
      const names = await fetchNames(mention.typed);
      const now = mentionAtCaret(textarea);
      // Only for the mention still being typed, in the box that has the focus.
      if (names && now && now.typed === mention.typed && document.activeElement === textarea) {
        show(names);
      }
    };

    let timer;
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, SUGGEST_DELAY);
    });
    textarea.addEventListener("blur", close);
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(list.children[active].dataset.word);
      } else if (event.key === "Escape") {
        // Closes the list, not the page's dialog or details around the box.
        event.preventDefault();
        event.stopPropagation();
        const mention = mentionAtCaret(textarea);
        dismissedAt = mention ? mention.at : null;
        close();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-mention-url]")) {
      mentionSuggestions(form);
    }
  });
})();
