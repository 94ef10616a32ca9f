// The image server's defaults, apart from the app so the CLI's flags and a pool's
// primary can name them without loading the server itself.
import {fileURLToPath} from 'node:url'

/** Caches may keep the image but must ask each time: the file on disk can change at any moment. */
export const DEFAULT_CACHE_CONTROL = 'no-cache'
/** Files up to this many bytes are held in memory; bigger ones are streamed from disk. */
export const DEFAULT_MEMORY_LIMIT = 8 * 1024 * 1024
/** The image shipped with the package, found from this module (src/ or dist/), not the working directory. */
export const BUNDLED_IMAGE = fileURLToPath(new URL('../../../assets/rick_roll.jpg', import.meta.url))
