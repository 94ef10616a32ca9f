// The baseline for a file too big to hold in memory: node:http piping a read
// stream of it, in the same 128 KB chunks as webkit, with the same headers.
// Usage: node stream-server.mjs <file> <headers-json-file>
import {createReadStream, readFileSync, statSync} from 'node:fs'
import {createServer} from 'node:http'

const [file, headersFile] = process.argv.slice(2)
const headers = {...JSON.parse(readFileSync(headersFile, 'utf8')), 'Content-Length': String(statSync(file).size)}
const server = createServer((req, res) => {
  res.writeHead(200, headers)
  createReadStream(file, {highWaterMark: 128 * 1024}).pipe(res)
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`))
process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
})
