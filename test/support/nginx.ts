// Where Debian's nginx is, for the tests that put it in front of webkit.
import {execFileSync} from 'node:child_process'

export function findNginx(): string | undefined {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => {
    try {
      execFileSync(path, ['-v'], {stdio: 'ignore'})
      return true
    } catch {
      return false
    }
  })
}
