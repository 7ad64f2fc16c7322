import type { VerdictStep } from '../../../../shared/model/verdict'

/** The checks in the order the scheme ran them, each passed or failed with its detail. */
export function VerdictSteps({ steps }: { steps: readonly VerdictStep[] }) {
  if (steps.length === 0) return null
  return (
    <section>
      <div className="section-title">Checks</div>
      <ul className="verdict-steps" data-testid="verdict-steps">
        {steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a verdict's steps are immutable and may repeat; their position is their identity
          <li key={index} className={step.ok ? 'step step-ok' : 'step step-fail'} data-testid="verdict-step" data-ok={step.ok}>
            <span className="step-mark" role="img" aria-label={step.ok ? 'passed' : 'failed'}>
              {step.ok ? '✓' : '✗'}
            </span>
            <span className="step-label">{step.label}</span>
            {step.detail && <span className="step-detail">{step.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
