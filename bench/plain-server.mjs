// The baseline: the least a node:http server can do to send the same bytes.
// Usage: node plain-server.mjs <body-file> <content-type>
import {readFileSync} from 'node:fs'
import {createServer} from 'node:http'

const [file, type] = process.argv.slice(2)
const body = readFileSync(file)
const headers = {'Content-Length': String(body.length), 'Content-Type': type}
const server = createServer((req, res) => {
  res.writeHead(200, headers)
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`))
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections())
