/** Save and Cancel under an endpoint form; test ids `<prefix>-save` and `<prefix>-cancel`. */
export function FormButtons({ busy, testPrefix, onCancel }: { busy: boolean; testPrefix: string; onCancel: () => void }) {
  return (
    <div className="endpoint-actions">
      <button type="submit" className="btn btn-small btn-primary" data-testid={`${testPrefix}-save`} disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="btn btn-small" data-testid={`${testPrefix}-cancel`} onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}
