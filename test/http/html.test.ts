import {strict as assert} from 'node:assert'

import {escapeHtml, renderDocument} from '../../src/http/html.js'
import {firstQueryValue} from '../../src/http/query.js'

describe('html', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('escapes the title of a document', () => {
    const html = renderDocument({body: '', css: '', title: '<x>'})
    assert.match(html, /<title>&lt;x&gt;<\/title>/)
  })

  it('links an icon only when the app serves one, since a strict CSP would block any other', () => {
    assert.doesNotMatch(renderDocument({body: '', css: '', title: 't'}), /<link rel="icon"/)
    assert.match(
      renderDocument({body: '', css: '', icon: '/favicon.svg', title: 't'}),
      /<link rel="icon" href="\/favicon.svg" type="image\/svg\+xml">/,
    )
  })
})

describe('query', () => {
  it('returns the first value, decoded, and never throws on bad encoding', () => {
    assert.equal(firstQueryValue('http://h/color?color=a&color=b', 'color'), 'a')
    assert.equal(firstQueryValue('http://h/color?x=1', 'color'), undefined)
    assert.equal(firstQueryValue('http://h/color', 'color'), undefined)
    assert.equal(firstQueryValue('http://h/color?color=%E0%A4%A', 'color'), '\uFFFD%A')
    assert.equal(firstQueryValue('http://h/color?color=%zz', 'color'), '%zz')
    assert.equal(firstQueryValue('http://h/color?color=%FF', 'color'), '\uFFFD')
    assert.equal(firstQueryValue('http://h/color?color=a+b#frag', 'color'), 'a b')
  })
})
