// The article body's rich-text editor (archive/richtext.py): django-prose-editor's
// bundle, imported by the URL the widget gives rather than through the library's inline
// import map, which the Content-Security-Policy (script-src 'self') blocks. The editor is
// made with Tiptap's injectCSS off, since style-src 'self' blocks the <style> element it
// would add; richtext.css carries those rules instead.

const ATTRIBUTE = "data-django-prose-editor-archive";
const gettext = window.gettext || ((text) => text);
// Only marks strings for makemessages: the library translates them itself through
// window.gettext, whose catalog (the admin's jsi18n) includes locale/*/djangojs.po.
const gettext_noop = (text) => text;
[
  gettext_noop("Image URL"), gettext_noop("Browse..."), gettext_noop("Alternative Text"),
  gettext_noop("Caption"), gettext_noop("Insert Figure"), gettext_noop("Edit Figure"),
  gettext_noop("Edit Image"), gettext_noop("Insert"), gettext_noop("Update"),
  gettext_noop("Cancel"), gettext_noop("Add caption"), gettext_noop("Remove caption"),
  gettext_noop("Edit Link"), gettext_noop("URL"), gettext_noop("Title"),
];

// The library's menu names its buttons in English and not through gettext.
const MENU_LABELS = {
  heading2: gettext("Heading 2"),
  heading3: gettext("Heading 3"),
  paragraph: gettext("Paragraph"),
  bulletList: gettext("Bulleted list"),
  orderedList: gettext("Numbered list"),
  blockquote: gettext("Quote"),
  horizontalRule: gettext("Horizontal line"),
  figure: gettext("Image"),
  bold: gettext("Bold"),
  italic: gettext("Italic"),
  link: gettext("Link"),
  unlink: gettext("Remove link"),
  "history:undo": gettext("Undo"),
  "history:redo": gettext("Redo"),
};

// The link schemes archive/sanitize.py keeps (and relative links); any other link in an
// old body would be dropped by Tiptap, so an editor cannot make one either.
const LINK_SCHEMES = ["http", "https", "mailto", "tel"];

function allowedLink(url) {
  const href = String(url || "").replace(/[\u0000-\u0020]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  return !scheme || LINK_SCHEMES.includes(scheme[1].toLowerCase());
}

// Attributes the sanitizer keeps and Tiptap's nodes do not know: kept as they are, and
// left out when empty (the link dialog's empty "title" field would write title="").
const EXTRA_ATTRIBUTES = { Image: ["loading"], Link: ["hreflang", "title"], Blockquote: ["cite"] };

function withAttributes(extension, names) {
  return extension.extend({
    addAttributes() {
      const attributes = { ...this.parent?.() };
      for (const name of names) {
        attributes[name] = {
          default: null,
          renderHTML: (values) => (values[name] ? { [name]: values[name] } : {}),
        };
      }
      return attributes;
    },
  });
}

function extensionsOf(library, config) {
  return Object.entries(config.extensions).map(([name, options]) => {
    let extension = library[name];
    if (!extension) throw new Error(`django-prose-editor has no extension ${name}`);
    if (EXTRA_ATTRIBUTES[name]) extension = withAttributes(extension, EXTRA_ATTRIBUTES[name]);
    const settings = typeof options === "object" ? { ...options } : {};
    if (name === "Link") settings.isAllowedUri = allowedLink;
    if (name === "Menu") settings.items = labelledMenu(library, settings.groups);
    return Object.keys(settings).length ? extension.configure(settings) : extension;
  });
}

// The menu, built as the library builds it from its groups, once its items carry our
// labels (the dropdown shows copies of its items' buttons, so they are named first).
function labelledMenu(library, groups) {
  const build = library.createMenuFromGroups(groups);
  return ({ editor, buttons, menu }) => {
    for (const { group } of groups) {
      for (const item of menu.items(group)) {
        const label = MENU_LABELS[item.name];
        if (!label) continue;
        if (item.button) {
          item.button.title = label;
          item.button.setAttribute("aria-label", label);
        }
        if (item.option) item.option.textContent = label;
      }
    }
    return build({ editor, buttons, menu });
  };
}

// The editable area stands for the hidden textarea: its language (for spell checking),
// its label and its help text.
function textboxAttributes(textarea, config) {
  const attributes = { lang: config.language };
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) attributes["aria-label"] = label.textContent.trim().replace(/:$/, "");
  const help = textarea.getAttribute("aria-describedby");
  if (help) attributes["aria-describedby"] = help;
  return attributes;
}

function start(library, textarea) {
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE));
  const extensions = extensionsOf(library, config);
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  try {
    const editor = new library.Editor({
      element: wrapper,
      extensions,
      content: textarea.value,
      injectCSS: false,
      editorProps: { attributes: textboxAttributes(textarea, config) },
      // The textarea changes only on a real edit: an untouched body is sent back as
      // it came, byte for byte.
      onUpdate({ editor }) {
        textarea.value = editor.isEmpty ? "" : editor.getHTML();
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      },
    });
    textarea.richTextEditor = editor; // for tests and other scripts of the form
    textarea.dispatchEvent(new CustomEvent("richtext:ready", { bubbles: true }));
  } catch (error) {
    // The HTML textarea stays usable when the editor cannot start.
    wrapper.before(textarea);
    wrapper.remove();
    throw error;
  }
}

async function startAll() {
  const textareas = [...document.querySelectorAll(`textarea[${ATTRIBUTE}]`)];
  if (!textareas.length) return;
  const { editor: url } = JSON.parse(textareas[0].getAttribute(ATTRIBUTE));
  const library = await import(url);
  for (const textarea of textareas) {
    try {
      start(library, textarea);
    } catch (error) {
      console.error("The rich-text editor could not start:", error);
    }
  }
}

startAll();
