import type { FuseV1Config } from '@electron/fuses'

export declare const HOOKSCOPE_FUSES: Readonly<FuseV1Config>
