// «Suggested tags» on the article form (archive/admin/assist.py): sends the Russian
// title, lead and body as they stand in the form, shows the names found as buttons, and
// puts a clicked one into the tags autocomplete (Django's select2 on #id_tags).
(function () {
  "use strict";

  function field(id) {
    const element = document.getElementById(id);
    return element ? element.value : "";
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function postJSON(url, payload, failed) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(payload),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) throw new Error(data.error || failed);
    return data;
  }

  function start(panel) {
    const select = document.getElementById("id_tags");
    const list = panel.querySelector(".assist-tags__list");
    const status = panel.querySelector(".assist-tags__status");
    const words = panel.dataset;

    function chosenIds() {
      return select ? Array.from(select.selectedOptions, (option) => option.value) : [];
    }

    function choose(tag) {
      if (!select) return;
      let option = Array.from(select.options).find((o) => o.value === String(tag.id));
      if (!option) {
        option = new Option(tag.text, String(tag.id), true, true);
        select.append(option);
      }
      option.selected = true;
      // select2 listens through jQuery; a native event would not redraw it.
      if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
      else select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    async function add(button, suggestion) {
      button.disabled = true;
      try {
        let tag = suggestion;
        if (!tag.id) {
          tag = await postJSON(
            panel.dataset.tagUrl,
            { name: suggestion.name, kind: suggestion.kind },
            words.failed
          );
        }
        choose(tag);
        button.remove();
        status.textContent = words.added.replace("%(name)s", tag.name || tag.text);
      } catch (error) {
        button.disabled = false;
        status.textContent = error.message;
      }
    }

    function button(suggestion) {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "assist-tag assist-tag--" + suggestion.kind;
      element.dataset.kind = suggestion.kind;
      if (suggestion.id) element.dataset.tagId = suggestion.id;
      element.title = suggestion.written.join(", ");
      element.append(suggestion.name);
      const kind = document.createElement("span");
      kind.className = "assist-tag__kind";
      kind.textContent = suggestion.kind_label;
      element.append(" ", kind);
      if (!suggestion.id) {
        const mark = document.createElement("span");
        mark.className = "assist-tag__new";
        mark.textContent = words.new;
        element.append(" ", mark);
      }
      element.addEventListener("click", () => add(element, suggestion));
      return element;
    }

    async function find() {
      status.textContent = words.searching;
      list.replaceChildren();
      try {
        const data = await postJSON(
          panel.dataset.url,
          {
            title: field("id_title_ru"),
            lead: field("id_lead_ru"),
            body: field("id_body_ru"),
            tags: chosenIds(),
          },
          words.failed
        );
        list.replaceChildren(...data.suggestions.map(button));
        status.textContent = data.suggestions.length ? "" : words.empty;
      } catch (error) {
        status.textContent = error.message;
      }
    }

    // A tag chosen by hand leaves the suggestions too.
    function hideChosen() {
      const chosen = new Set(chosenIds());
      list.querySelectorAll("[data-tag-id]").forEach((element) => {
        if (chosen.has(element.dataset.tagId)) element.remove();
      });
    }
    if (select && window.django && window.django.jQuery) {
      window.django.jQuery(select).on("change", hideChosen);
    }

    panel.querySelector(".assist-tags__find").addEventListener("click", find);
    if (field("id_title_ru") || field("id_body_ru")) find();
  }

  function init() {
    document.querySelectorAll(".assist-tags").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
