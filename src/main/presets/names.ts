/** The built-in presets, switched on by name in PINWATCH_PRESETS or the config file. */
export const PRESET_NAMES: readonly string[] = ['polkadot-api', '@polkadot/api'];
