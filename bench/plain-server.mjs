// The baseline: the least a node:http server can do to send the same response.
// Usage: node plain-server.mjs <body-file> <headers-json-file>
import {readFileSync} from 'node:fs'
import {createServer} from 'node:http'

const [bodyFile, headersFile] = process.argv.slice(2)
const body = readFileSync(bodyFile)
const headers = {...JSON.parse(readFileSync(headersFile, 'utf8')), 'Content-Length': String(body.length)}
const server = createServer((req, res) => {
  res.writeHead(200, headers)
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`))
process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
})
