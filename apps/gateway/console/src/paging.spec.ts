import { currentCursor, firstPage, goNext, goPrevious, hasNext, hasPrevious, pageLoaded, pageNumber } from './paging';

describe('next and previous over keyset cursors', () => {
  it('starts on the first page, without a cursor and without a way back', () => {
    const paging = firstPage();
    expect(currentCursor(paging)).toBeNull();
    expect(hasPrevious(paging)).toBe(false);
    expect(hasNext(paging)).toBe(false);
    expect(pageNumber(paging)).toBe(1);
  });

  it('goes forward on the cursor the API answered, and back on the cursors seen', () => {
    let paging = pageLoaded(firstPage(), 'c2');
    expect(hasNext(paging)).toBe(true);
    paging = goNext(paging);
    expect(currentCursor(paging)).toBe('c2');
    expect(hasNext(paging)).toBe(false); // until page 2 arrives
    paging = goNext(pageLoaded(paging, 'c3'));
    expect(currentCursor(paging)).toBe('c3');
    expect(pageNumber(paging)).toBe(3);
    paging = pageLoaded(paging, null);
    expect(hasNext(paging)).toBe(false);
    paging = goPrevious(paging);
    expect(currentCursor(paging)).toBe('c2');
    paging = goPrevious(paging);
    expect(currentCursor(paging)).toBeNull();
    expect(goPrevious(paging)).toBe(paging);
    expect(goNext(paging)).toBe(paging);
  });
});
