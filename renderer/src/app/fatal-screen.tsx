export function FatalScreen({ message }: { message: string }) {
  return (
    <div className="fatal" data-testid="fatal-screen">
      <h1>Hookscope</h1>
      <p>{message}</p>
    </div>
  )
}
