import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { json, jsonParseLinter } from '@codemirror/lang-json'
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language'
import { linter, lintGutter } from '@codemirror/lint'
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view'
import { useEffect, useRef } from 'react'

export type EditorLanguage = 'json' | 'text'

interface CodeEditorProps {
  value: string
  onChange(value: string): void
  language: EditorLanguage
  /** Accessible name of the editing area. */
  label: string
  testId: string
  minLines?: number
}

function languageExtensions(language: EditorLanguage): Extension {
  // JSON: highlighting, folding and a linter that marks where the JSON stops parsing.
  return language === 'json' ? [json(), linter(jsonParseLinter(), { delay: 300 }), lintGutter(), foldGutter()] : []
}

/** Inside the shadow root the page's stylesheets do not reach: the editor's own look, on the page's variables. */
const editorTheme = EditorView.theme({
  '&': { fontSize: '12px', maxHeight: '360px' },
  '&.cm-focused': { outline: '2px solid var(--accent)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', overflow: 'auto' }
})

/**
 * CodeMirror 6 for editing a request before it is replayed. The document is plain text: CodeMirror
 * renders it as text nodes (never HTML), so a hostile payload stays inert while edited. The parent
 * owns the value; edits flow out through onChange, and a new value from outside replaces the document.
 *
 * Mounted in a shadow root: on a document, CodeMirror injects its styles as a <style> element, which
 * the UI's Content-Security-Policy (style-src 'self') blocks; in a shadow root it uses constructed
 * stylesheets (CSSOM), which that policy does not govern, so the CSP stays strict.
 */
export function CodeEditor({ value, onChange, language, label, testId, minLines = 8 }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const languageSlot = useRef(new Compartment())
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is made once per host; the effects below apply later value and language changes
  useEffect(() => {
    const element = host.current!
    // A host element keeps its shadow root for life (React may run this effect twice on one element).
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' })
    const editor = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': `${testId}-content` }),
          editorTheme,
          EditorView.theme({ '.cm-content, .cm-gutter': { minHeight: `${minLines * 1.4}em` } }),
          languageSlot.current.of(languageExtensions(language)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString())
          })
        ]
      })
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
    // Created once; value and language changes are applied below.
  }, [])

  useEffect(() => {
    const editor = view.current
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } })
    }
  }, [value])

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(languageExtensions(language)) })
  }, [language])

  return <div className="code-editor" ref={host} data-testid={testId} data-language={language} />
}
