import {serveColor} from '../../../src/apps/color/app.js'
import {DEFAULT_COLORS} from '../../../src/apps/color/palette.js'
import {assertShortcutAgrees} from '../../support/shortcut.js'

describe('color shortcut', () => {
  const served = serveColor({colors: {'sea-green': '#2E8B57', teal: '#008080'}})
  const names = [...Object.keys(DEFAULT_COLORS), 'sea-green', 'teal']

  it('answers the form, the icon and every color exactly as the app does, for GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD']) {
      for (const url of ['/', '/favicon.svg', ...names.map((name) => `/color?color=${name}`)]) {
        await assertShortcutAgrees(served, url, {method})
      }
    }
  })

  it('leaves every other request to the app', async () => {
    for (const url of [
      '/color?color=RED',
      '/color?color=%72ed',
      '/color?color=red&color=blue',
      '/color?color=',
      '/color?color=nope',
      '/color',
      '/?',
      '//',
      '/index.html',
      'http://localhost/',
    ]) {
      await assertShortcutAgrees(served, url, {declines: true})
    }

    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) await assertShortcutAgrees(served, '/', {declines: true, method})
  })
})
