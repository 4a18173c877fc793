// Votes on posts and comments, and acceptances, in place. Without this file the same forms
// post, and the server redirects back to the post; with it they post through fetch and the
// page stays put.
(() => {
  const formatScore = (score) => (score > 0 ? `+${score}` : `${score}`);

  const setScore = (widget, score) => {
    widget.querySelector("[data-vote-score]").textContent = formatScore(score);
    const value = widget.querySelector(".score-value");
    value.classList.toggle("stat-positive", score > 0);
    value.classList.toggle("stat-negative", score < 0);
  };

  const setVote = (widget, vote) => {
    for (const button of widget.querySelectorAll("[data-vote-button]")) {
      const pressed = (button.value === "up" && vote === 1) || (button.value === "down" && vote === -1);
      button.setAttribute("aria-pressed", String(pressed));
    }
  };

  // One accepted answer per question: the others' checks are released.
  const setAccepted = (acceptedId) => {
    for (const form of document.querySelectorAll("[data-accept-form]")) {
      const post = form.closest(".post");
      const accepted = post !== null && post.id === `answer-${acceptedId}`;
      form.querySelector("[data-accept-button]").setAttribute("aria-pressed", String(accepted));
      if (post !== null) {
        post.classList.toggle("post-accepted", accepted);
      }
    }
  };

  // Refusals are shown next to the arrows; confirmations are only spoken, since the
  // arrows and the score already show them.
  const say = (widget, text, { error = false } = {}) => {
    const message = widget.querySelector("[data-vote-message]");
    message.textContent = text;
    message.classList.toggle("visually-hidden", !error);
  };

  // A refusal stands over the post beside the arrows (votes.css) until it is dismissed:
  // Escape, or a click anywhere but on it.
  const dismissRefusals = (event) => {
    for (const message of document.querySelectorAll("[data-vote-message]:not(.visually-hidden), [data-comment-vote-message]:not(.visually-hidden)")) {
      if (event.type === "keydown" ? event.key === "Escape" : !message.contains(event.target)) {
        message.textContent = "";
        message.classList.add("visually-hidden");
      }
    }
  };
  document.addEventListener("keydown", dismissRefusals);
  document.addEventListener("click", dismissRefusals);

  const send = async (form, body) => {
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": body.get("csrfmiddlewaretoken"),
      },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!type.startsWith("application/json")) {
      throw new Error(`HTTP ${response.status}`);
    }
    return [response.ok, await response.json()];
  };

  // A comment's upvote: the count shows only above zero, as on the server's page.
  const voteComment = async (form, event) => {
    event.preventDefault();
    const body = new FormData(form, event.submitter);
    const button = form.querySelector("[data-comment-vote-button]");
    const message = form.querySelector("[data-comment-vote-message]");
    const tell = (text, error) => {
      message.textContent = text;
      message.classList.toggle("visually-hidden", !error);
    };
    button.disabled = true;
    try {
      const [ok, data] = await send(form, body);
      if (!ok) {
        tell(data.error, true);
      } else {
        form.querySelector("[data-comment-score]").textContent = data.score > 0 ? `${data.score}` : "";
        button.setAttribute("aria-pressed", String(data.voted));
        tell(data.message, false);
      }
    } catch {
      tell(message.dataset.failure, true);
    } finally {
      button.disabled = false;
    }
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.matches("[data-comment-vote-form]")) {
      await voteComment(form, event);
      return;
    }
    const widget = form.closest("[data-vote]");
    if (widget === null || !(form.matches("[data-vote-form]") || form.matches("[data-accept-form]"))) {
      return;
    }
    event.preventDefault();
    // Read before the buttons are disabled: a disabled button sends no value.
    const body = new FormData(form, event.submitter);
    const buttons = form.querySelectorAll("button");
    for (const button of buttons) {
      button.disabled = true;
    }
    try {
      const [ok, data] = await send(form, body);
      if (!ok) {
        say(widget, data.error, { error: true });
      } else if (form.matches("[data-vote-form]")) {
        setScore(widget, data.score);
        setVote(widget, data.vote);
        say(widget, data.message);
      } else {
        setAccepted(data.accepted_answer);
        say(widget, data.message);
      }
    } catch {
      say(widget, widget.querySelector("[data-vote-message]").dataset.failure, { error: true });
    } finally {
      for (const button of buttons) {
        button.disabled = false;
      }
    }
  });
})();
