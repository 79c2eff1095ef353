// "Insert image" for the body editor (django-prose-editor's configurable preset loads this module
// through DJANGO_PROSE_EDITOR_EXTENSIONS and registers its named export LibraryImage).
//
// A picture in a body is a reference to the library, never an address:
//     <figure data-image="12"><figcaption>optional caption for this story</figcaption></figure>
// The server keeps only such figures (articles/sanitize.py) and renders them with renditions
// (articles/bodyimages.py). Here the node shows a small preview, fetched from the desk's chooser
// (desk/bodyimages.py), and the button opens a chooser dialog that searches the library.
//
// CSP: no inline script or style. The stylesheet is linked from this module's own address.

import { Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const STYLESHEET = new URL("prose-image.css", import.meta.url).href

function linkStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return
  const link = document.createElement("link")
  link.rel = "stylesheet"
  link.href = STYLESHEET
  document.head.append(link)
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value)
    else if (key in node) node[key] = value
    else node.setAttribute(key, value)
  }
  node.append(...children)
  return node
}

async function search(url, params) {
  const response = await fetch(`${url}?${new URLSearchParams(params)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(`${response.status}`)
  return (await response.json()).results
}

function previewImage(result) {
  return element("img", {
    src: result.preview.url,
    width: result.preview.width,
    height: result.preview.height,
    alt: result.alt,
  })
}

// The chooser: a modal dialog with a search box, the matching pictures, and a caption field for
// this story (empty: the library's caption). Resolves to {image, caption} or null.
function choose(url) {
  return new Promise((resolve) => {
    const input = element("input", {
      type: "search",
      name: "q",
      placeholder: gettext("Search alt text, caption, credit"),
    })
    input.setAttribute("aria-label", gettext("Search the picture library"))
    const caption = element("input", { type: "text", name: "caption", maxLength: 500 })
    const status = element("p", { className: "prose-image-status", role: "status" })
    const list = element("ul", { className: "prose-image-results" })
    const cancel = element("button", { type: "button", className: "prose-image-cancel" })
    cancel.textContent = gettext("Cancel")
    const dialog = element(
      "dialog",
      { className: "prose-image-chooser" },
      element("h2", {}, gettext("Insert an image from the library")),
      input,
      status,
      list,
      element("label", {}, gettext("Caption in this story (optional)"), caption),
      cancel,
    )
    let settled = false
    const finish = (value) => {
      if (settled) return
      settled = true
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    const show = async () => {
      status.textContent = gettext("Searching…")
      try {
        const results = await search(url, { q: input.value })
        list.replaceChildren(
          ...results.map((result) => {
            const pick = element(
              "button",
              { type: "button", className: "prose-image-pick", dataset: { image: result.id } },
              previewImage(result),
              element("span", {}, result.alt),
              element("small", {}, result.credit),
            )
            pick.addEventListener("click", () =>
              finish({ image: String(result.id), caption: caption.value.trim() }),
            )
            return element("li", {}, pick)
          }),
        )
        status.textContent = results.length ? "" : gettext("No picture matches.")
      } catch (error) {
        status.textContent = gettext("The library could not be searched.")
      }
    }
    let timer
    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(show, 250)
    })
    cancel.addEventListener("click", () => finish(null))
    dialog.addEventListener("close", () => finish(null))
    document.body.append(dialog)
    dialog.showModal()
    input.focus()
    show()
  })
}

const captionDialog = updateAttrsDialog(
  {
    caption: {
      type: "string",
      title: gettext("Caption in this story"),
      description: gettext("Empty: the library's caption."),
    },
  },
  { title: gettext("Picture caption"), submitText: gettext("Save caption") },
)

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { pickerUrl: "" }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-image"),
        renderHTML: () => ({}),
      },
      caption: {
        default: "",
        parseHTML: (el) => el.querySelector("figcaption")?.textContent.trim() || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ node }) {
    const figure = ["figure", { "data-image": node.attrs.image }]
    return node.attrs.caption ? [...figure, ["figcaption", {}, node.attrs.caption]] : figure
  },

  addNodeView() {
    const url = this.options.pickerUrl
    return ({ node }) => {
      const dom = element("figure", {
        className: "prose-image",
        dataset: { image: node.attrs.image },
      })
      const caption = element("figcaption")
      caption.textContent = node.attrs.caption
      dom.append(caption)
      search(url, { id: node.attrs.image })
        .then(([result]) => {
          if (!result) {
            caption.textContent = gettext("This picture is no longer in the library.")
            return
          }
          dom.prepend(previewImage(result))
          caption.textContent = node.attrs.caption || result.caption
          caption.append(element("span", { className: "credit" }, ` ${result.credit}`))
        })
        .catch(() => {
          caption.textContent = gettext("Preview unavailable.")
        })
      return { dom }
    }
  },

  addCommands() {
    return {
      insertLibraryImage:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs }),
    }
  },

  addMenuItems({ buttons, menu }) {
    linkStylesheet()
    const url = this.options.pickerUrl
    menu.defineItem({
      name: "libraryImage",
      groups: "nodes",
      command(editor) {
        choose(url).then((chosen) => {
          if (chosen) editor.chain().focus().insertLibraryImage(chosen).run()
        })
      },
      button: buttons.material("image", gettext("Insert image")),
      active: (editor) => editor.isActive("libraryImage"),
    })
    menu.defineItem({
      name: "libraryImageCaption",
      groups: "nodes",
      command(editor) {
        const current = editor.getAttributes("libraryImage")
        captionDialog(editor, { caption: current.caption || "" }).then((changed) => {
          if (changed)
            editor
              .chain()
              .focus()
              .updateAttributes("libraryImage", { caption: changed.caption.trim() })
              .run()
        })
      },
      button: buttons.material("notes", gettext("Caption of this picture in this story")),
      hidden: (editor) => !editor.isActive("libraryImage"),
    })
  },
})
