/// Order statistics of a scratch buffer, which they reorder: a median filter's window, a band's
/// percentiles over a clip.
public enum Selection {
    /// The middle element of an odd-length buffer.
    public static func median(_ values: UnsafeMutableBufferPointer<Float>) -> Float {
        let middle = values.count / 2
        if values.count <= 25 {
            // Insertion sort: fewest operations for windows up to 5 × 5.
            for i in 1..<values.count {
                let value = values[i]
                var j = i
                while j > 0 && values[j - 1] > value {
                    values[j] = values[j - 1]
                    j -= 1
                }
                values[j] = value
            }
            return values[middle]
        }
        return select(values, rank: middle)
    }

    /// The element of rank `rank` (0-based) by Hoare's quickselect with a median-of-three pivot.
    /// - Complexity: O(n) on average.
    public static func select(_ values: UnsafeMutableBufferPointer<Float>, rank: Int) -> Float {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { return values[rank] }
        }
        return values[rank]
    }
}
