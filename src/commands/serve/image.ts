import {BaseCommand} from '../../cli/base-command.js'
import {imageFlags, toImageOptions} from '../../cli/flags/image.js'
import {serverFlags, toServerOptions} from '../../cli/flags/server.js'
import {serveForeground} from '../../cli/serve.js'

export default class ServeImage extends BaseCommand {
  static description = 'Serve one image file on / and on its own name, with caching validators and ranges'
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --file rick_roll.jpg',
    '<%= config.bin %> <%= command.id %> --file photo.webp --cache-control "public, max-age=3600" --workers 4',
  ]
  static flags = {...serverFlags(6420), ...imageFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(ServeImage)
    await serveForeground('serve image', {kind: 'image', options: toImageOptions(flags)}, toServerOptions(flags))
  }
}
