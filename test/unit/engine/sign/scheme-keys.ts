import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { KeyEntry } from '../../../../shared/model/keyring'
import { makeCertificate } from '../verify/keyed/support/x509'
import { makeKey } from './sign-harness'

const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
  String(key.export({ type, format: 'pem' }))
const ed25519 = generateKeyPairSync('ed25519')
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const p521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pair = (keys: typeof ed25519) => ({ publicKey: pem(keys.publicKey, 'spki'), privateKey: pem(keys.privateKey, 'pkcs8') })
const platformCertificate = makeCertificate({
  subject: 'test platform',
  publicKey: rsa.publicKey,
  selfKey: rsa.privateKey,
  serialHex: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  notBefore: new Date(Date.UTC(2023, 0, 1)),
  notAfter: new Date(Date.UTC(2029, 0, 1)),
  ca: false
}).pem

/** A key of every scheme that can sign, holding what signing needs (test key pairs for the public-key schemes). */
export const signingKeys: Record<string, () => KeyEntry> = {
  'standard-webhooks': () => makeKey('standard-webhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
  svix: () => makeKey('svix', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
  stripe: () => makeKey('stripe', { secret: 'whsec_test_stripe' }),
  github: () => makeKey('github', { secret: 'gh-secret' }),
  shopify: () => makeKey('shopify', { secret: 'shpss_secret' }),
  slack: () => makeKey('slack', { secret: 'slack-signing-secret' }),
  twilio: () => makeKey('twilio', { secret: 'twilio-auth-token' }),
  square: () => makeKey('square', { secret: 'square-signature-key' }),
  paddle: () => makeKey('paddle', { secret: 'pdl_ntfset_01_secret' }),
  pagerduty: () => makeKey('pagerduty', { secret: 'pd-secret' }),
  linear: () => makeKey('linear', { secret: 'lin_wh_secret' }),
  zoom: () => makeKey('zoom', { secret: 'zoom-secret-token' }),
  twitch: () => makeKey('twitch', { secret: 'twitch-secret' }),
  hubspot: () => makeKey('hubspot', { secret: 'hubspot-client-secret' }),
  box: () => makeKey('box', { secret: 'box-primary-key' }),
  coinbase: () => makeKey('coinbase', { secret: 'coinbase-shared-secret' }),
  gitlab: () => makeKey('gitlab', { secret: 'gitlab-token' }),
  intercom: () => makeKey('intercom', { secret: 'intercom-client-secret' }),
  adyen: () => makeKey('adyen', { secret: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056' }),
  mailgun: () => makeKey('mailgun', { secret: 'mailgun-signing-key' }),
  'standard-webhooks-v1a': () => makeKey('standard-webhooks-v1a', pair(ed25519)),
  discord: () => makeKey('discord', pair(ed25519)),
  sendgrid: () => makeKey('sendgrid', pair(p256)),
  wechatpay: () =>
    makeKey('wechatpay', { certificate: platformCertificate, privateKey: pem(rsa.privateKey, 'pkcs8'), secret: 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6' }),
  truelayer: () => makeKey('truelayer', pair(p521)),
  feishu: () => makeKey('feishu', { secret: 'feishu-encrypt-key' }),
  'aes-256-gcm': () => makeKey('aes-256-gcm', { secret: randomBytes(32).toString('base64') }, { keyId: 'whk_20251021_01' }),
  jws: () => makeKey('jws', pair(p256)),
  jwe: () => makeKey('jwe', { privateKey: pem(rsa.privateKey, 'pkcs8') }),
  bearer: () => makeKey('bearer', { secret: 'fixed-bearer-token' }),
  basic: () => makeKey('basic', { secret: 'client:secret' }),
  'api-key': () => makeKey('api-key', { secret: 'sk_test_api_key_123' }),
  'x-signature': () => makeKey('x-signature', { secret: 'seed-secret' }),
  hmac: () =>
    makeKey(
      'hmac',
      { secret: 'generic-secret' },
      { options: { header: 'X-Acme-Signature', timestampHeader: 'X-Acme-Timestamp', template: '{timestamp}.{body}' } }
    )
}
