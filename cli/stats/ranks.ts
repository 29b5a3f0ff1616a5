/** Ranks with ties averaged, and the tie groups the rank tests correct for. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const ranks = new Array<number>(values.length)
  const tieSizes: number[] = []
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && order[j + 1]!.value === order[i]!.value) j++
    const rank = (i + j + 2) / 2 // ranks are 1-based: positions i..j hold ranks i+1..j+1
    for (let k = i; k <= j; k++) ranks[order[k]!.index] = rank
    if (j > i) tieSizes.push(j - i + 1)
    i = j + 1
  }
  return { ranks, tieSizes }
}
