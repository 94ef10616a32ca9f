import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {ROOT} from '../support/cli.js'

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const source = (path: string) => JSON.stringify(pathToFileURL(`${ROOT}${path}`).href)

describe('alreadySent', () => {
  it('is honoured by node-server even when the app is loaded after the server is made', async function () {
    this.timeout(30_000)
    // A fresh process, in the order that would break a marker made after node-server replaced
    // the global Response: the server first, the app's side (node-env) only afterwards.
    const script = `
      import {once} from 'node:events'
      import {request} from 'node:http'
      const {createHttpServer} = await import(${source('src/server/http-server.ts')})
      const {createLogger} = await import(${source('src/log/logger.ts')})
      const logger = createLogger({color: false, format: 'json', quiet: true})
      let alreadySent
      const server = createHttpServer({
        fetch: (_request, env) => {
          env.outgoing.writeHead(200, {'Content-Length': '7'})
          env.outgoing.end('written')
          return alreadySent()
        },
      }, {fastPath: false, logger, timeouts: {headersMs: 5000, keepAliveMs: 5000, requestMs: 5000}, workerId: 'x'})
      ;({alreadySent} = await import(${source('src/http/node-env.ts')}))
      server.listener.listen(0, '127.0.0.1')
      await once(server.listener, 'listening')
      const req = request({host: '127.0.0.1', port: server.listener.address().port, path: '/'})
      const [res] = await once(req.end(), 'response')
      let body = ''
      for await (const chunk of res) body += chunk
      process.stdout.write(JSON.stringify({body, status: res.statusCode}))
      await server.close(0)
    `
    const {stdout} = await promisify(execFile)(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], {cwd: ROOT})
    assert.deepEqual(JSON.parse(stdout), {body: 'written', status: 200})
  })
})
