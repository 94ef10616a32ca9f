import {BaseCommand} from '../../cli/base-command.js'
import {colorFlags, colorsFrom} from '../../cli/flags/color.js'
import {serverFlags, toServerOptions} from '../../cli/flags/server.js'
import {serveForeground} from '../../cli/serve.js'

export default class ServeColor extends BaseCommand {
  static description = 'Serve a color-picker form; choosing a color returns a page styled in it'
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 6421 --workers 4',
    '<%= config.bin %> <%= command.id %> --color teal=#008080 --color red=#CC0000',
  ]
  static flags = {...serverFlags(6421), ...colorFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(ServeColor)
    const colors = await colorsFrom(flags)
    await serveForeground('serve color', {kind: 'color', options: {colors}}, toServerOptions(flags))
  }
}
