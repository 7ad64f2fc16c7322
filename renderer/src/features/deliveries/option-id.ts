/** The DOM id of a row of the delivery list, for the list's aria-activedescendant. */
export function optionId(kind: 'delivery' | 'rejected', id: string): string {
  return `${kind}-option-${id}`
}
