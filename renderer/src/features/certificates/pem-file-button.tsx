import type { ChangeEvent } from 'react'

const MAX_PEM_BYTES = 1024 * 1024

/** Reads a picked PEM file as text for a textarea (nothing is sent until the form is submitted). */
export function PemFileButton({
  onText,
  onError,
  testId,
  disabled
}: {
  onText: (text: string) => void
  onError: (message: string) => void
  testId: string
  disabled?: boolean
}) {
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget
    const file = input.files?.[0]
    // Cleared so picking the same file again fires change again.
    input.value = ''
    if (!file) return
    if (file.size > MAX_PEM_BYTES) return onError(`${file.name} is larger than 1 MiB: not a PEM file`)
    onText(await file.text())
  }
  return (
    <input
      type="file"
      className="pem-file"
      accept=".pem,.crt,.cer,.key,text/plain,application/x-pem-file"
      data-testid={testId}
      disabled={disabled}
      onChange={(event) => void pick(event)}
    />
  )
}
