// The posting forms made quicker: a live preview, tag suggestions and drafts kept in this
// browser. Progressive enhancement only: the forms work without this file.
"use strict";

(() => {
  const PREVIEW_DELAY = 300;
  const SUGGEST_DELAY = 150;
  const SAVE_DELAY = 500;
  const SIMILAR_DELAY = 400;
  // The server compares words of three letters or more; shorter titles find nothing.
  const SIMILAR_MIN_LENGTH = 3;
  const DRAFT_PREFIX = "stapel-draft:";
  const DRAFT_MAX_AGE = 14 * 24 * 60 * 60 * 1000;

  function debounce(action, delay) {
    let timer;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => action(...args), delay);
    };
  }

  // The CSRF cookie is HttpOnly, so the token comes from the form.
  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Fetches that a newer one makes pointless are aborted; their rejection is expected.
  function latestOnly() {
    let controller = null;
    return async (url, options = {}) => {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      try {
        const response = await fetch(url, { ...options, signal: controller.signal, credentials: "same-origin" });
        return response.ok ? await response.json() : null;
      } catch (error) {
        if (error.name === "AbortError") {
          return null;
        }
        throw error;
      }
    };
  }

  // Live preview: the server renders the body with the same function that renders the
  // stored post, so the preview is exactly what will be shown.
  function livePreview(textarea) {
    const region = document.querySelector(`[data-preview-of="${textarea.id}"]`);
    const url = textarea.dataset.previewUrl;
    if (!region || !url) {
      return;
    }
    const output = region.querySelector("[data-preview-output]");
    const request = latestOnly();
    const update = async () => {
      if (!textarea.value.trim()) {
        region.hidden = true;
        output.replaceChildren();
        return;
      }
      const body = new FormData();
      body.append("body", textarea.value);
      const data = await request(url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken(textarea.form) },
      });
      if (data) {
        // Sanitised by the server's Markdown pipeline, like every stored post.
        output.innerHTML = data.html;
        region.hidden = false;
      }
    };
    textarea.addEventListener("input", debounce(update, PREVIEW_DELAY));
    // The button is the preview for browsers without this script.
    for (const button of textarea.form.querySelectorAll("[data-preview-button]")) {
      button.hidden = true;
    }
    if (textarea.value.trim()) {
      update();
    }
  }

  // Images: the form's file field uploads at once when a file is chosen, and so does an
  // image dropped onto the text or pasted into it; the server answers with the image's
  // Markdown, which is put in at the caret. Without this script, the field's button posts
  // the whole form and the page comes back with the Markdown added.
  function imageUploads(region) {
    const textarea = document.getElementById(region.dataset.imageUploadFor);
    const input = region.querySelector("input[type=file]");
    if (!textarea || !input) {
      return;
    }
    const description = region.querySelector("input[name=image_description]");
    const status = region.querySelector("[data-upload-status]");
    for (const button of region.querySelectorAll("[data-upload-button]")) {
      button.hidden = true;
    }

    const say = (text, failed = false) => {
      status.textContent = text;
      status.classList.toggle("text-danger", failed);
    };

    const insert = (markdown) => {
      const start = textarea.selectionStart ?? textarea.value.length;
      const end = textarea.selectionEnd ?? start;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(end);
      // The image stands in a paragraph of its own.
      const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
      const tail = after.startsWith("\n") ? "" : "\n";
      textarea.value = `${before}${lead}${markdown}${tail}${after}`;
      const caret = before.length + lead.length + markdown.length + tail.length;
      textarea.setSelectionRange(caret, caret);
      // The preview and the draft follow the text.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    };

    const upload = async (file) => {
      say(region.dataset.uploadingLabel);
      const body = new FormData();
      body.append("image", file, file.name || "image");
      body.append("image_description", description ? description.value : "");
      let data = null;
      try {
        const response = await fetch(region.dataset.uploadUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(textarea.form) },
        });
        data = await response.json();
      } catch {
        data = null;
      }
      if (data && data.markdown) {
        insert(data.markdown);
        if (description) {
          description.value = "";
        }
        say(region.dataset.uploadedLabel);
      } else {
        say(`${region.dataset.failedLabel} ${data && data.error ? data.error : ""}`.trim(), true);
      }
    };

    input.addEventListener("change", async () => {
      for (const file of input.files) {
        await upload(file);
      }
      input.value = "";
    });
    const imageFiles = (transfer) => [...(transfer ? transfer.files : [])].filter((file) => file.type.startsWith("image/"));
    textarea.addEventListener("dragover", (event) => {
      if (event.dataTransfer && [...event.dataTransfer.types].includes("Files")) {
        event.preventDefault();
        textarea.classList.add("image-drop-target");
      }
    });
    textarea.addEventListener("dragleave", () => textarea.classList.remove("image-drop-target"));
    textarea.addEventListener("drop", async (event) => {
      textarea.classList.remove("image-drop-target");
      const files = imageFiles(event.dataTransfer);
      if (files.length) {
        event.preventDefault();
        for (const file of files) {
          await upload(file);
        }
      }
    });
    textarea.addEventListener("paste", async (event) => {
      const files = imageFiles(event.clipboardData);
      if (files.length) {
        event.preventDefault();
        for (const file of files) {
          await upload(file);
        }
      }
    });
  }

  // Tag suggestions: a combobox (WAI-ARIA pattern) whose list offers existing tags for
  // the word at the caret.
  function tagSuggestions(input) {
    const url = input.dataset.tagAutocomplete;
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    const label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || `${input.id}-label`;
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    // The list overlays the form: if it took room, closing it (as a click on the submit
    // button does, by blurring the field) would move the button from under the pointer.
    const box = document.createElement("div");
    box.className = "tag-combobox";
    input.before(box);
    box.append(input, list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    const request = latestOnly();
    let active = -1;

    const wordAtCaret = () => {
      const value = input.value;
      const caret = input.selectionStart ?? value.length;
      let start = caret;
      while (start > 0 && !/[\s,]/.test(value[start - 1])) {
        start -= 1;
      }
      let end = caret;
      while (end < value.length && !/[\s,]/.test(value[end])) {
        end += 1;
      }
      return { start, end, word: value.slice(start, end) };
    };

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };

    const choose = (name) => {
      const { start, end } = wordAtCaret();
      const rest = input.value.slice(end).replace(/^[\s,]+/, "");
      input.value = `${input.value.slice(0, start)}${name} ${rest}`;
      const caret = start + name.length + 1;
      input.setSelectionRange(caret, caret);
      close();
      // Lets the draft keep the chosen tag.
      input.form.dispatchEvent(new Event("input"));
    };

    const highlight = (index) => {
      const options = [...list.children];
      active = (index + options.length) % options.length;
      options.forEach((option, position) => option.setAttribute("aria-selected", String(position === active)));
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    };

    const show = (tags) => {
      list.replaceChildren(
        ...tags.map((tag, index) => {
          const option = document.createElement("li");
          option.id = `${list.id}-${index}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          const name = document.createElement("span");
          name.className = "tag";
          name.textContent = tag.name;
          const count = document.createElement("span");
          count.className = "tag-suggestion-count";
          count.textContent = `× ${tag.count}`;
          option.append(name, " ", count);
          // mousedown, not click: the input keeps its focus, so the list is not closed first.
          option.addEventListener("mousedown", (event) => {
            event.preventDefault();
            choose(tag.name);
          });
          return option;
        }),
      );
      active = -1;
      list.hidden = tags.length === 0;
      input.setAttribute("aria-expanded", String(tags.length > 0));
    };

    const suggest = debounce(async () => {
      const { word } = wordAtCaret();
      if (!word) {
        close();
        return;
      }
      const tags = await request(`${url}?q=${encodeURIComponent(word)}`);
      if (tags && document.activeElement === input) {
        show(tags);
      }
    }, SUGGEST_DELAY);

    input.addEventListener("input", suggest);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", (event) => {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(list.children[active].querySelector(".tag").textContent);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  // Similar questions: while a title is typed, questions with similar titles are listed
  // under it, so that the asker may find an answer before asking again.
  function similarQuestions(region) {
    const input = document.getElementById(region.dataset.similarTo);
    if (!input) {
      return;
    }
    const request = latestOnly();
    let shownFor = null;

    const show = (questions) => {
      if (questions.length === 0) {
        region.replaceChildren();
        return;
      }
      const heading = document.createElement("p");
      heading.className = "similar-heading";
      heading.textContent = region.dataset.similarHeading;
      const list = document.createElement("ul");
      list.className = "similar-list";
      for (const question of questions) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = question.url;
        // A new tab keeps the question being written.
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = question.title;
        const answers = document.createElement("span");
        answers.className = question.accepted ? "similar-answers similar-accepted" : "similar-answers";
        answers.textContent = question.accepted
          ? `${region.dataset.answersLabel} ${question.answers}, ${region.dataset.acceptedLabel}`
          : `${region.dataset.answersLabel} ${question.answers}`;
        item.append(link, " ", answers);
        list.append(item);
      }
      region.replaceChildren(heading, list);
    };

    const update = async () => {
      const title = input.value.trim();
      if (title === shownFor) {
        return;
      }
      if (title.length < SIMILAR_MIN_LENGTH) {
        shownFor = title;
        region.replaceChildren();
        return;
      }
      const questions = await request(`${region.dataset.similarUrl}?title=${encodeURIComponent(title)}`);
      if (questions) {
        shownFor = title;
        show(questions);
      }
    };
    input.addEventListener("input", debounce(update, SIMILAR_DELAY));
    if (input.value.trim()) {
      update();
    }
  }

  // Drafts: what is typed into a form[data-draft] is kept in localStorage, per page and
  // form, and put back after a reload. A draft is forgotten once the server confirms that
  // the form was posted: the next page names the posted form's submission token.
  function browserStorage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  function readDraft(storage, key) {
    try {
      return JSON.parse(storage.getItem(key));
    } catch {
      return null;
    }
  }

  function forgetPostedDrafts(storage) {
    const posted = new Set([...document.querySelectorAll("[data-posted-token]")].map((marker) => marker.dataset.postedToken));
    for (let index = storage.length - 1; index >= 0; index -= 1) {
      const key = storage.key(index);
      if (!key || !key.startsWith(DRAFT_PREFIX)) {
        continue;
      }
      const draft = readDraft(storage, key);
      if (!draft || posted.has(draft.token) || Date.now() - draft.saved > DRAFT_MAX_AGE) {
        storage.removeItem(key);
      }
    }
  }

  function keepDrafts(form, storage) {
    const key = `${DRAFT_PREFIX}${window.location.pathname}#${form.id}`;
    const fields = [...form.elements].filter(
      (field) => field.name && (field.tagName === "TEXTAREA" || field.type === "text"),
    );
    const token = form.elements.submission_token ? form.elements.submission_token.value : "";

    const save = () => {
      const values = Object.fromEntries(fields.map((field) => [field.name, field.value]));
      try {
        if (Object.values(values).some((value) => value.trim())) {
          storage.setItem(key, JSON.stringify({ token, saved: Date.now(), fields: values }));
        } else {
          storage.removeItem(key);
        }
      } catch {
        // A full or disabled storage only costs the draft.
      }
    };

    // Only empty fields are filled: text the server sent back (after an error or a
    // log-in) is newer than the draft.
    const draft = readDraft(storage, key);
    let restored = false;
    if (draft && draft.fields) {
      for (const field of fields) {
        if (!field.value && draft.fields[field.name]) {
          field.value = draft.fields[field.name];
          restored = true;
        }
      }
    }
    if (restored) {
      const note = form.querySelector("[data-draft-note]");
      if (note) {
        note.hidden = false;
      }
      // From now on the draft belongs to this form's token.
      save();
    }
    form.addEventListener("input", debounce(save, SAVE_DELAY));
    // Typing is saved with a delay; leaving or submitting saves at once.
    form.addEventListener("submit", save);
    window.addEventListener("pagehide", save);
  }

  // The Markdown toolbar and its shortcuts: each writes Markdown into the text, through the
  // browser's own editing (execCommand "insertText") so that Ctrl+Z and the Undo button undo
  // it like typing; where the browser refuses, the text is set directly. The text stays plain
  // Markdown: without this script the toolbar stays hidden and the text works as it is.
  const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    const start = textarea.selectionStart;
    textarea.focus();
    const done = document.execCommand && document.execCommand("insertText", false, text);
    if (!done) {
      textarea.setRangeText(text, start, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + selectFrom, start + selectTo);
  }

  // Wraps the selection in `marker` (or a placeholder, selected, when nothing is selected).
  function wrap(textarea, before, after, placeholder) {
    const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    const inner = selected || placeholder;
    replaceSelection(textarea, `${before}${inner}${after}`, before.length, before.length + inner.length);
  }

  // Widens the selection to whole lines and rewrites each with `prefix(index)` before it.
  function prefixLines(textarea, prefix, placeholder) {
    const value = textarea.value;
    const from = textarea.selectionStart;
    // A selection that ends with a line break ends on the line before it.
    const to = Math.max(from, textarea.selectionEnd - (value[textarea.selectionEnd - 1] === "\n" ? 1 : 0));
    const start = from === 0 ? 0 : value.lastIndexOf("\n", from - 1) + 1;
    const lineEnd = value.indexOf("\n", to);
    const end = lineEnd === -1 ? value.length : lineEnd;
    textarea.setSelectionRange(start, end);
    const lines = (value.slice(start, end) || placeholder).split("\n");
    const text = lines.map((line, index) => `${prefix(index)}${line}`).join("\n");
    // A block needs an empty line before it, unless it starts the text.
    const lead = start > 0 && !value.slice(0, start).endsWith("\n\n") ? "\n" : "";
    // An empty line gets the placeholder, selected to be typed over; else the caret ends it.
    const selectFrom = start === end ? lead.length + text.length - placeholder.length : lead.length + text.length;
    replaceSelection(textarea, `${lead}${text}`, selectFrom, lead.length + text.length);
  }

  // Code: a fenced block around selected lines, else backticks around the selection.
  function code(textarea, placeholder) {
    const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    if (!selected.includes("\n")) {
      wrap(textarea, "`", "`", placeholder);
      return;
    }
    const lead = textarea.selectionStart > 0 && textarea.value[textarea.selectionStart - 1] !== "\n" ? "\n" : "";
    const body = selected.replace(/\n$/, "");
    const text = `${lead}\`\`\`\n${body}\n\`\`\`\n`;
    replaceSelection(textarea, text, lead.length + 4, lead.length + 4 + body.length);
  }

  function markdownToolbar(toolbar) {
    const textarea = document.getElementById(toolbar.dataset.editorToolbarFor);
    if (!textarea) {
      return;
    }
    const labels = toolbar.dataset;
    const buttons = [...toolbar.querySelectorAll("[data-editor-action]")];
    const imageInput = document.getElementById(`${textarea.id}-image`);
    const imageRefusal = document.querySelector(`[data-image-upload-for="${textarea.id}"] .image-upload-refused`);
    // Refusals appear between the toolbar and the text, and go with the next keystroke.
    const message = document.createElement("p");
    message.className = "editor-message";
    message.setAttribute("role", "status");
    message.hidden = true;
    const tell = (text) => {
      message.textContent = text;
      message.hidden = false;
    };
    textarea.addEventListener("input", () => {
      message.hidden = true;
    });
    const actions = {
      bold: () => wrap(textarea, "**", "**", labels.boldPlaceholder),
      italic: () => wrap(textarea, "*", "*", labels.italicPlaceholder),
      heading: () => prefixLines(textarea, () => "## ", labels.headingPlaceholder),
      link: () => {
        const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
        const text = selected || labels.linkPlaceholder;
        // The address is selected, ready to be typed or pasted over.
        replaceSelection(textarea, `[${text}](https://)`, text.length + 3, text.length + 11);
      },
      quote: () => prefixLines(textarea, () => "> ", labels.quotePlaceholder),
      code: () => code(textarea, labels.codePlaceholder),
      image: () => {
        // The upload field puts the image's Markdown in once uploaded. A member who may not
        // post images yet is told why, here, rather than given Markdown that is refused.
        if (imageInput) {
          imageInput.click();
        } else if (imageRefusal) {
          tell(imageRefusal.textContent.trim());
        } else {
          const text = `![${labels.imagePlaceholder}](https://)`;
          replaceSelection(textarea, text, text.length - 9, text.length - 1);
        }
      },
      bullets: () => prefixLines(textarea, () => "- ", labels.listPlaceholder),
      numbers: () => prefixLines(textarea, (index) => `${index + 1}. `, labels.listPlaceholder),
      undo: () => {
        textarea.focus();
        document.execCommand("undo");
      },
    };
    const byKey = new Map(buttons.filter((button) => button.dataset.editorKey).map((button) => [button.dataset.editorKey, button.dataset.editorAction]));

    if (MAC) {
      for (const button of buttons) {
        button.title = button.title.replace("Ctrl+", "⌘");
        button.setAttribute("aria-keyshortcuts", button.getAttribute("aria-keyshortcuts").replace("Control+", "Meta+"));
      }
    }

    // One tab stop for the toolbar; the arrow keys, Home and End move within it.
    let current = 0;
    const focusButton = (index) => {
      buttons[current].tabIndex = -1;
      current = (index + buttons.length) % buttons.length;
      buttons[current].tabIndex = 0;
      buttons[current].focus();
    };
    buttons.forEach((button, index) => {
      button.tabIndex = index === 0 ? 0 : -1;
      // Clicking must not take the selection away from the text first.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => {
        buttons[current].tabIndex = -1;
        current = index;
        button.tabIndex = 0;
        actions[button.dataset.editorAction]();
      });
    });
    toolbar.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        focusButton(moves[event.key]);
      }
    });

    textarea.addEventListener("keydown", (event) => {
      const modifier = MAC ? event.metaKey : event.ctrlKey;
      if (!modifier || event.altKey || event.shiftKey) {
        return;
      }
      const action = byKey.get(event.key.toLowerCase());
      if (action) {
        event.preventDefault();
        actions[action]();
      }
    });

    textarea.before(toolbar, message);
    toolbar.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const storage = browserStorage();
    if (storage) {
      forgetPostedDrafts(storage);
      for (const form of document.querySelectorAll("form[data-draft]")) {
        keepDrafts(form, storage);
      }
    }
    for (const textarea of document.querySelectorAll("textarea[data-preview-url]")) {
      livePreview(textarea);
    }
    for (const region of document.querySelectorAll("[data-image-upload-for]")) {
      imageUploads(region);
    }
    for (const input of document.querySelectorAll("input[data-tag-autocomplete]")) {
      tagSuggestions(input);
    }
    for (const region of document.querySelectorAll("[data-similar-to]")) {
      similarQuestions(region);
    }
    for (const toolbar of document.querySelectorAll("[data-editor-toolbar-for]")) {
      markdownToolbar(toolbar);
    }
  });
})();
