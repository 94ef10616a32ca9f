// What deploy/ ships, checked as far as this machine can: every Kubernetes
// manifest against the Kubernetes schema (kubernetes-models) and against
// what webkit needs of it (probes, drain inside the grace period, non-root,
// segments from the completion index, command lines the CLI accepts); the
// Dockerfile's shape and its health check run for real; nginx's config
// through `nginx -t`. (No container engine runs here, so the image itself is
// not built.)
import {strict as assert} from 'node:assert'
import {execFile, execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {Service} from 'kubernetes-models/v1/Service'
import {PersistentVolumeClaim} from 'kubernetes-models/v1/PersistentVolumeClaim'
import {Deployment} from 'kubernetes-models/apps/v1/Deployment'
import {Job} from 'kubernetes-models/batch/v1/Job'
import {parseAllDocuments} from 'yaml'

import {findNginx} from '../support/nginx.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DEPLOY = join(ROOT, 'deploy')
const read = (path: string) => readFileSync(join(DEPLOY, path), 'utf8')

type Doc = Record<string, any>

function documents(file: string): Doc[] {
  return parseAllDocuments(read(file)).map((d) => {
    assert.deepEqual(d.errors, [], `${file}: YAML errors`)
    return d.toJSON() as Doc
  })
}

const MODELS: Record<string, new (data: any) => {validate(): void}> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
}

/** The CLI's flags per command, from the manifest oclif builds. */
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, {char?: string}>}>}

/** Asserts a webkit command line names a command and only flags it has. */
function assertCommandLine(words: string[], where: string): void {
  const id = words[0] === 'serve' ? `serve:${words[1]}` : words[1] === 'merge' || words[1] === 'compare' ? `load-test:${words[1]}` : words[0]
  const command = manifest.commands[id]
  assert.ok(command, `${where}: no command "${id}"`)
  for (const word of words) {
    if (!word.startsWith('--')) continue
    const name = word.slice(2).split('=')[0]
    assert.ok(name in command.flags, `${where}: ${id} has no flag --${name}`)
  }
}

const all = ['kubernetes/servers.yaml', 'kubernetes/load-test.yaml', 'kubernetes/load-test-merge.yaml'].flatMap((file) => documents(file).map((doc) => ({doc, file})))

describe('deploy/', function () {
  this.timeout(20_000)

  it('Kubernetes manifests are valid against the Kubernetes schema', () => {
    assert.ok(all.length >= 6)
    for (const {doc, file} of all) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`]
      assert.ok(Model, `${file}: a ${doc.apiVersion} ${doc.kind} has no model here`)
      new Model(doc).validate()
    }

    // The check is real: a broken manifest fails it.
    const broken = structuredClone(all.find(({doc}) => doc.kind === 'Deployment')!.doc)
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http'
    assert.throws(() => new Deployment(broken).validate(), /containerPort must be integer/)
  })

  it('each server: a Deployment and a Service, probes on its port, a drain that fits the grace period, not root', () => {
    const deployments = all.filter(({doc}) => doc.kind === 'Deployment').map(({doc}) => doc)
    assert.deepEqual(
      deployments.map((d) => d.metadata.name),
      ['webkit-color', 'webkit-image'],
    )
    for (const d of deployments) {
      const pod = d.spec.template.spec
      const [container] = pod.containers
      const args: string[] = container.args
      assertCommandLine(args, d.metadata.name)
      const service = all.find(({doc}) => doc.kind === 'Service' && doc.metadata.name === d.metadata.name)?.doc
      assert.ok(service, `a Service for ${d.metadata.name}`)
      assert.deepEqual(service.spec.selector, d.spec.selector.matchLabels, 'the Service selects the pods')
      const port = container.ports.find((p: Doc) => p.name === 'http').containerPort
      assert.equal(String(port), args[args.indexOf('--port') + 1], 'the container port is the one served')
      for (const probe of [container.readinessProbe, container.livenessProbe]) assert.deepEqual(probe.httpGet, {path: '/', port: 'http'})
      const preStop = container.lifecycle.preStop.sleep.seconds
      const drain = Number(args[args.indexOf('--shutdown-timeout') + 1])
      assert.ok(preStop > pod.readinessProbe?.periodSeconds || preStop >= container.readinessProbe.periodSeconds * 2, 'preStop outlasts a readiness period')
      assert.ok(preStop + drain < pod.terminationGracePeriodSeconds, `preStop ${preStop} s + drain ${drain} s inside the grace period`)
      assert.equal(pod.securityContext.runAsNonRoot, true)
      assert.ok(args.includes('--instance') && args[args.indexOf('--instance') + 1] === '$(POD_NAME)', 'the instance is named after the pod')
    }
  })

  it('the load test: an Indexed Job whose completion index is the segment, reports on a shared volume, then a merge', () => {
    const job = all.find(({doc}) => doc.kind === 'Job' && doc.metadata.name === 'webkit-load-test')!.doc
    assert.equal(job.spec.completionMode, 'Indexed')
    assert.equal(job.spec.parallelism, job.spec.completions, 'every generator runs at once')
    const script: string = job.spec.template.spec.containers[0].args[0]
    const segment = /--segment \$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/(\d+)/.exec(script)
    assert.ok(segment, script)
    assert.equal(Number(segment[1]), job.spec.completions, 'N is the number of completions')
    assert.match(script, /--start-at START_AT /)
    const words = script.split(/\s+/)
    assertCommandLine(words.slice(words.indexOf('bin/run.js') + 1).filter((w) => !w.startsWith('$') && !w.startsWith('>')), 'load-test job')
    // The segment arithmetic, as a shell evaluates it, for each completion index.
    for (let index = 0; index < job.spec.completions; index++) {
      const out = execFileSync('sh', ['-c', 'echo $((JOB_COMPLETION_INDEX + 1))'], {encoding: 'utf8', env: {JOB_COMPLETION_INDEX: String(index)}})
      assert.equal(out.trim(), String(index + 1))
    }

    const merge = all.find(({doc}) => doc.metadata.name === 'webkit-load-test-merge')!.doc
    const claim = (doc: Doc) => doc.spec.template.spec.volumes[0].persistentVolumeClaim.claimName
    assert.equal(claim(merge), claim(job), 'the merge reads the volume the generators write')
    const mergeLine: string = merge.spec.template.spec.containers[0].args[0]
    assert.match(mergeLine, /load-test merge \/results\/generator-\*\.json/)
    assertCommandLine(mergeLine.split(/\s+/).slice(2), 'merge job')
    const pvc = all.find(({doc}) => doc.kind === 'PersistentVolumeClaim')!.doc
    assert.equal(pvc.metadata.name, claim(job))
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany'], 'several pods write it')
  })

  it('the Dockerfile: an official Node LTS base, a non-root user, SIGTERM, a health check that works', async () => {
    const text = read('Dockerfile')
    const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])
    assert.ok(froms.length >= 1)
    for (const from of froms) assert.match(from, /^node:(22|24)-[a-z-]+$/, 'an official Node LTS image')
    assert.match(text, /^USER node$/m)
    assert.match(text, /^STOPSIGNAL SIGTERM$/m)
    assert.match(text, /^ENTRYPOINT \["node", "bin\/run\.js"\]$/m)
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]) as string[]
    assertCommandLine(cmd, 'CMD')
    // The health check, run as the container would, against a server and against nothing.
    const check = JSON.parse(/HEALTHCHECK [^\n]*\\\n\s+CMD (\[.*\])$/m.exec(text)![1]) as string[]
    assert.equal(check[0], 'node')
    const server = createServer((_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    const {port} = server.address() as AddressInfo
    try {
      const run = (env: Record<string, string>) =>
        promisify(execFile)(process.execPath, check.slice(1), {env: {...process.env, ...env}, timeout: 5000}).then(
          () => 0,
          (error: {code: number}) => error.code,
        )
      assert.equal(await run({WEBKIT_PORT: String(port)}), 0, 'healthy while the server answers')
      server.close()
      await new Promise((resolve) => {
        server.once('close', resolve)
      })
      assert.equal(await run({WEBKIT_PORT: String(port)}), 1, 'unhealthy when nothing answers')
    } finally {
      server.close()
    }
  })

  it("nginx's upstream config passes nginx -t", function () {
    const nginx = findNginx()
    if (!nginx) {
      assert.ok(!process.env.CI, 'nginx is not installed: .ci/run installs it')
      this.skip()
    }

    const dir = mkdtempSync(join(tmpdir(), 'webkit-nginx-'))
    try {
      const config = join(dir, 'nginx.conf')
      // The server block listens on 80: test it on a free high port instead, as an unprivileged copy would.
      writeFileSync(join(dir, 'webkit.conf'), read('nginx/webkit.conf').replace('listen 80;', 'listen 127.0.0.1:18999;'))
      writeFileSync(
        config,
        `pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {}\n` +
          `http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};\n` +
          `  include ${dir}/webkit.conf; }\n`,
      )
      const out = execFileSync(nginx!, ['-t', '-c', config, '-p', dir], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
      assert.equal(out, '')
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })
})
