import {Flags} from '@oclif/core'

import {parseColorEntry, parseColorFlags} from '../../apps/color/palette.js'
import {BaseCommand} from '../../cli/base-command.js'
import {serverFlags, toServerOptions} from '../../cli/flags.js'
import {serveForeground} from '../../cli/serve.js'

export default class ServeColor extends BaseCommand {
  static description = 'Serve a color-picker form; choosing a color returns a page styled in it'
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 6421 --workers 4',
    '<%= config.bin %> <%= command.id %> --color teal=#008080 --color red=#CC0000',
  ]
  static flags = {
    ...serverFlags(6421),
    color: Flags.string({
      description: 'Add or override a palette color as NAME=#RRGGBB (repeatable; commas separate several)',
      env: 'WEBKIT_COLOR',
      helpValue: '<name=#rrggbb>',
      multiple: true,
      async parse(input) {
        for (const entry of input.split(',')) if (entry.trim()) parseColorEntry(entry)
        return input
      },
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ServeColor)
    const colors = parseColorFlags(flags.color ?? [])
    await serveForeground('serve color', {kind: 'color', options: {colors}}, toServerOptions(flags))
  }
}
